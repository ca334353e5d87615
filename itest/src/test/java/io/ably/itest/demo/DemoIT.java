package io.ably.itest.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's main-job command: the demo jar runs on its embedded server, shows connection,
 * channels, messages of every kind, a resume with continuity and the counters, and exits cleanly.
 */
class DemoIT {
  private static Path jar() {
    Path jar = Path.of(System.getProperty("ably.itest.dir", "target"), "ably-demo.jar");
    assertTrue(Files.isRegularFile(jar), "the build must produce " + jar.toAbsolutePath());
    return jar;
  }

  private static ProcessBuilder demo(String... args) {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar().toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().remove("ABLY_KEY"); // the embedded server, always
    pb.environment().remove("ABLY_TOKEN");
    pb.environment().remove("ABLY_ENDPOINT");
    return pb;
  }

  @Test
  void theDemoShowsConnectionChannelsMessagesAResumeAndCountersThenExitsCleanly() throws Exception {
    Process p = demo().start();
    try {
      // Read on other threads so that a demo that never ends fails the test instead of hanging it.
      CompletableFuture<String> output = onThread(() -> readAll(p.getInputStream()));
      CompletableFuture<String> errors = onThread(() -> readAll(p.getErrorStream()));
      assertTrue(p.waitFor(90, TimeUnit.SECONDS), "the demo must end by itself");
      String out = output.get(10, TimeUnit.SECONDS);
      String why = out + "\n--- stderr ---\n" + errors.get(10, TimeUnit.SECONDS);
      assertEquals(0, p.exitValue(), why);

      // Connection
      assertShows(out, "server  embedded testkit listening on ws://127.0.0.1:", why);
      assertShows(out, "alice   CONNECTING -> CONNECTED", why);
      assertShows(out, "bob     CONNECTING -> CONNECTED", why);
      assertMatches(out, "alice   ping 3: round trip \\d+\\.\\d{3} ms", why);
      assertShows(out, "alice   registered as MXBean io.ably:type=RealtimeClient,name=\"alice\"", why);

      // Channels: attached on both clients
      assertShows(out, "alice   channel demo    ATTACHING -> ATTACHED", why);
      assertShows(out, "bob     channel demo    ATTACHING -> ATTACHED", why);
      assertShows(out, "bob     channel secret  ATTACHING -> ATTACHED", why);

      // Every kind of message, acknowledged with a serial, received with the same serial
      String serial = "serial (\\S+)";
      assertMatches(out, "alice   ack       \"greeting\"   " + serial, why);
      assertMatches(out, "bob     received  \"greeting\"   text    \"Hello, Bob!\"  " + serial, why);
      assertMatches(out, "bob     received  \"quote\"      json    \\{\"symbol\":\"ABCD\",\"bid\":101\\.25\\}  " + serial, why);
      assertMatches(out, "bob     received  \"png-magic\"  binary  89 50 4e 47 0d 0a 1a 0a \\(8 bytes\\)  " + serial, why);
      assertMatches(out, "bob     received  \"note\"       text    \"The vault code is 1234\"  " + serial, why);
      assertShows(out, "bob's client decrypted it: no encoding left on the message", why);
      assertShows(out, "bob     presence  ENTER alice \"hello from alice\"", why);
      assertShows(out, "bob     presence  ENTER bob \"hello from bob\"", why);
      assertShows(out, "alice   members: [alice, bob]", why);
      assertShows(out, "bob     presence  LEAVE alice", why);
      assertShows(out, "bob     presence  LEAVE bob", why);
      assertShows(out, "alice   REST publish of 3 messages in one request: serials ", why);
      assertMatches(out, "alice   history page 1: \"created\"    json    \\{\"order\":42\\}  id \\S+:0", why);
      assertMatches(out, "alice   history page 2: \"shipped\"    text    \"42\"  id \\S+:2", why);
      assertMatches(out, "alice   REST requests 3, failures 0, median latency \\d+\\.\\d{3} ms", why);
      var ack = Pattern.compile("alice   ack       \"greeting\"   serial (\\S+)").matcher(out);
      assertTrue(ack.find(), why);
      assertShows(out, "bob     received  \"greeting\"   text    \"Hello, Bob!\"  serial " + ack.group(1), why);

      // A dropped connection: resumed, the channel's continuity kept, nothing lost, nothing twice
      assertShows(out, "alice   resumed the same connection", why);
      assertShows(out, "bob     resumed the same connection", why);
      assertShows(out, "bob     channel demo    ATTACHING -> ATTACHED  resumed=true", why);
      assertShows(out, "alice   channel demo    ATTACHING -> ATTACHED  resumed=true", why);
      assertMatches(out, "alice     \\(published while (CONNECTING|DISCONNECTED): ", why);
      assertMatches(out, "bob     received  \"away\"       text    \"Sent while I was (CONNECTING|DISCONNECTED)\"", why);
      assertShows(out, "bob     nothing lost and nothing twice", why);
      assertFalse(out.contains("WITHOUT continuity"), why);
      assertFalse(out.contains("could not resume"), why);

      // Counters
      // presence actions are published messages too: alice and bob each entered and left
      assertShows(out, "alice   messages  8 published, 8 acknowledged, 0 refused, 0 pending", why);
      assertShows(out, "bob     messages  2 published, 2 acknowledged, 0 refused, 0 pending, 6 received", why);
      assertShows(out, "bob     demo      2 published, 2 acknowledged, 5 received, 2 attaches, 0 continuity losses", why);
      assertShows(out, "bob     resumes   1 reconnect, 1 resume, 0 failed resumes", why);

      // A clean close
      assertShows(out, "alice   CLOSING -> CLOSED", why);
      assertShows(out, "bob     CLOSING -> CLOSED", why);
      assertTrue(out.strip().endsWith("both clients closed; bye"), why);
    } finally {
      stop(p);
    }
  }

  @Test
  void withKeepRunningTheClientsStayUpAndTickUntilTerminatedThenCloseCleanly() throws Exception {
    Process p = demo("--keep-running").start();
    try {
      StringBuilder out = new StringBuilder();
      CompletableFuture<Void> ticked = new CompletableFuture<>();
      CompletableFuture<Void> ended = onThread(() -> {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
          for (String line = r.readLine(); line != null; line = r.readLine()) {
            synchronized (out) {
              out.append(line).append('\n');
            }
            if (line.contains("bob     received  \"tick\"")) {
              ticked.complete(null);
            }
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        return null;
      });
      CompletableFuture<String> errors = onThread(() -> readAll(p.getErrorStream()));
      ticked.get(90, TimeUnit.SECONDS);
      assertTrue(p.isAlive(), "still running after the demo's story and a tick");
      // SIGTERM, as Ctrl-C would; through the handle, because Process.destroy() also closes the
      // streams and the goodbye could not be read.
      assertTrue(p.toHandle().destroy());
      assertTrue(p.waitFor(30, TimeUnit.SECONDS), "ends when told to");
      ended.get(10, TimeUnit.SECONDS);
      String text;
      synchronized (out) {
        text = out.toString();
      }
      String why = text + "\n--- stderr ---\n" + errors.get(10, TimeUnit.SECONDS);
      assertShows(text, "-- Running until Ctrl-C", why);
      assertShows(text, "alice   CLOSING -> CLOSED", why);
      assertTrue(text.strip().endsWith("both clients closed; bye"), why);
    } finally {
      stop(p);
    }
  }

  @Test
  void anUnknownArgumentPrintsUsageAndExits2() throws Exception {
    Process p = demo("--nope").redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    try {
      assertTrue(p.waitFor(30, TimeUnit.SECONDS));
      String err = readAll(p.getErrorStream());
      assertEquals(2, p.exitValue());
      assertTrue(err.contains("error: unknown argument --nope") && err.contains("usage: "), err);
    } finally {
      stop(p);
    }
  }

  private static void assertShows(String out, String expected, String why) {
    assertTrue(out.contains(expected), "expected \"" + expected + "\" in:\n" + why);
  }

  private static void assertMatches(String out, String regex, String why) {
    assertTrue(Pattern.compile(regex).matcher(out).find(), "expected /" + regex + "/ in:\n" + why);
  }

  /** Runs a blocking read on a thread of its own (the common pool may have a single thread). */
  private static <T> CompletableFuture<T> onThread(Supplier<T> task) {
    CompletableFuture<T> result = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try {
        result.complete(task.get());
      } catch (RuntimeException e) {
        result.completeExceptionally(e);
      }
    }, "demo-output-reader");
    t.setDaemon(true);
    t.start();
    return result;
  }

  private static String readAll(InputStream in) {
    try {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void stop(Process p) throws InterruptedException {
    p.destroyForcibly();
    p.waitFor(10, TimeUnit.SECONDS);
  }
}
