package io.ably.itest.demo;

import io.ably.api.message.Message;
import io.ably.api.message.MessageData;
import io.ably.api.state.ChannelStateChange;
import io.ably.api.state.ConnectionStateChange;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * The demo's printer: one aligned line per event (time since start, who, what) and a heading per
 * scene, so the output reads as a story. Thread-safe: listeners on the clients' callback threads
 * and the demo's main thread print through it.
 */
final class Terminal {
  /** Width of a heading line, and roughly of the longest line the demo prints. */
  private static final int WIDTH = 78;
  /** Binary payloads longer than this are shortened on screen. */
  private static final int MAX_HEX_BYTES = 12;

  private final PrintStream out;
  private final long startNanos = System.nanoTime();

  Terminal(PrintStream out) {
    this.out = out;
  }

  /** Prints a blank line and a heading for the next scene. */
  void heading(String title) {
    String head = "-- " + title + " ";
    synchronized (out) {
      out.println();
      out.println(head + "-".repeat(Math.max(3, WIDTH - head.length())));
    }
  }

  /** Prints one event: milliseconds since the demo started, who it is about, what happened. */
  void say(String who, String what) {
    synchronized (out) { // the times printed never go backwards
      long ms = (System.nanoTime() - startNanos) / 1_000_000;
      out.printf(Locale.ROOT, "%6d ms  %-6s  %s%n", ms, who, what);
    }
  }

  /** Prints a line of text as it is, without time or speaker. */
  void line(String text) {
    out.println(text);
  }

  /** A connection state change: {@code CONNECTING -> CONNECTED}, with its reason if any. */
  static String describe(ConnectionStateChange ch) {
    StringBuilder sb = new StringBuilder(ch.previous().name()).append(" -> ").append(ch.current().name());
    if (ch.reason() != null) {
      sb.append("  (").append(ch.reason().code()).append(' ').append(ch.reason().message()).append(')');
    }
    if (ch.retryIn() != null && !ch.retryIn().isZero()) {
      sb.append("  retry in ").append(ch.retryIn().toMillis()).append(" ms");
    }
    return sb.toString();
  }

  /** A channel state change, with {@code resumed=true} when the service kept its continuity. */
  static String describe(String channel, ChannelStateChange ch) {
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "channel %-6s  ", channel));
    sb.append(ch.previous().name()).append(" -> ").append(ch.current().name());
    if (ch.resumed()) {
      sb.append("  resumed=true");
    }
    if (ch.reason() != null) {
      sb.append("  (").append(ch.reason().code()).append(' ').append(ch.reason().message()).append(')');
    }
    return sb.toString();
  }

  /** What a message carries, in fixed columns: {@code "name"  kind  content}. */
  static String describe(Message m) {
    return String.format(Locale.ROOT, "%-11s  %-6s  %s", quote(m.name()), kind(m.data()), content(m.data()));
  }

  /** The kind of a payload: text, json, binary or none. */
  static String kind(MessageData data) {
    if (data instanceof MessageData.Text) {
      return "text";
    }
    if (data instanceof MessageData.Json) {
      return "json";
    }
    if (data instanceof MessageData.Binary) {
      return "binary";
    }
    return "none";
  }

  /** A payload as a person reads it: quoted text, JSON as sent, bytes in hex with their count. */
  static String content(MessageData data) {
    if (data instanceof MessageData.Text t) {
      return quote(t.value());
    }
    if (data instanceof MessageData.Json j) {
      return j.json();
    }
    if (data instanceof MessageData.Binary b) {
      byte[] bytes = b.toByteArray();
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < Math.min(bytes.length, MAX_HEX_BYTES); i++) {
        sb.append(String.format(Locale.ROOT, "%02x ", bytes[i] & 0xff));
      }
      if (bytes.length > MAX_HEX_BYTES) {
        sb.append(".. ");
      }
      return sb.append('(').append(bytes.length).append(" bytes)").toString();
    }
    return "(no data)";
  }

  /** Milliseconds with three decimals. */
  static String millis(Duration d) {
    return d == null ? "-" : String.format(Locale.ROOT, "%.3f ms", d.toNanos() / 1e6);
  }

  /** A byte count made readable: {@code 812 B}, {@code 3.4 kB}. */
  static String bytes(long n) {
    return n < 1_000 ? n + " B" : String.format(Locale.ROOT, "%.1f kB", n / 1_000.0);
  }

  /** {@code 1 attach}, {@code 2 attaches}. */
  static String count(long n, String one, String many) {
    return n + " " + (n == 1 ? one : many);
  }

  private static String quote(String s) {
    return s == null ? "-" : '"' + s + '"';
  }
}
