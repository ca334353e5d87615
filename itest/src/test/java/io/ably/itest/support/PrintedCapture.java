package io.ably.itest.support;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Everything a test's JVM prints while it is open, for secret scans: every log record of every
 * logger (the root logger turned to {@link Level#ALL}: the client's, Netty's, the testkit's),
 * formatted with its parameters and stack trace, and standard output and error (still printed,
 * and kept). Closing it restores the loggers' level and the streams.
 */
public final class PrintedCapture implements AutoCloseable {
  private final List<String> records = new CopyOnWriteArrayList<>();
  private final ByteArrayOutputStream streams = new ByteArrayOutputStream();
  private final Logger root = Logger.getLogger("");
  private final Level rootLevel = root.getLevel();
  private final PrintStream out = System.out;
  private final PrintStream err = System.err;
  private final Handler handler =
      new Handler() {
        @Override
        public void publish(LogRecord r) {
          StringBuilder sb = new StringBuilder(String.valueOf(r.getLoggerName())).append(' ').append(r.getMessage());
          if (r.getParameters() != null) {
            for (Object p : r.getParameters()) {
              sb.append(' ').append(p);
            }
          }
          if (r.getThrown() != null) {
            sb.append(' ').append(trace(r.getThrown()));
          }
          records.add(sb.toString());
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  /** Starts capturing. */
  public PrintedCapture() {
    handler.setLevel(Level.ALL);
    root.setLevel(Level.ALL);
    root.addHandler(handler);
    System.setOut(new PrintStream(tee(out), true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(tee(err), true, StandardCharsets.UTF_8));
  }

  private OutputStream tee(PrintStream original) {
    return new OutputStream() {
      @Override
      public void write(int b) {
        original.write(b);
        synchronized (streams) {
          streams.write(b);
        }
      }

      @Override
      public void write(byte[] b, int off, int len) {
        original.write(b, off, len);
        synchronized (streams) {
          streams.write(b, off, len);
        }
      }
    };
  }

  /**
   * What was printed so far: one entry per log record, then standard output and error as one.
   *
   * @return the entries
   */
  public List<String> printed() {
    List<String> all = new ArrayList<>(records);
    synchronized (streams) {
      all.add("stdout/stderr " + streams.toString(StandardCharsets.UTF_8));
    }
    return all;
  }

  /**
   * A throwable's stack trace, causes included, as printed.
   *
   * @param t the throwable
   * @return the text
   */
  public static String trace(Throwable t) {
    StringWriter w = new StringWriter();
    t.printStackTrace(new PrintWriter(w));
    return w.toString();
  }

  @Override
  public void close() {
    root.removeHandler(handler);
    root.setLevel(rootLevel);
    System.setOut(out);
    System.setErr(err);
  }
}
