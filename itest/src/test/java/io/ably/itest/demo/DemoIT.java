package io.ably.itest.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The README's main-job command: the demo jar runs on its embedded server and exits cleanly. */
class DemoIT {
  private static Path jar() {
    Path jar = Path.of(System.getProperty("ably.itest.dir", "target"), "ably-demo.jar");
    assertTrue(Files.isRegularFile(jar), "the build must produce " + jar.toAbsolutePath());
    return jar;
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  @Test
  void theDemoConnectsTwoClientsPingsResumesAndExitsCleanly() throws Exception {
    ProcessBuilder pb = new ProcessBuilder(java(), "-jar", jar().toString());
    pb.environment().remove("ABLY_KEY");
    pb.redirectError(ProcessBuilder.Redirect.DISCARD);
    Process p = pb.start();
    try {
      // Read on another thread so that a demo that never ends fails the test instead of hanging it.
      CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> readAll(p));
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the demo must end by itself");
      String out = output.get(10, TimeUnit.SECONDS);
      assertEquals(0, p.exitValue(), out);
      assertTrue(out.contains("embedded testkit listening on ws://127.0.0.1:"), out);
      assertTrue(out.contains("alice    CONNECTING -> CONNECTED"), out);
      assertTrue(out.contains("bob      CONNECTING -> CONNECTED"), out);
      assertTrue(out.matches("(?s).*ping 3: round trip \\d+\\.\\d{3} ms.*"), out);
      assertTrue(out.contains("resumed the same connection"), out);
      assertTrue(out.matches("(?s).*bob      counters: \\d+ frames in .*1 reconnects, 1 resumes, 0 failed resumes.*"), out);
      assertTrue(out.contains("alice    CLOSING -> CLOSED"), out);
      assertTrue(out.strip().endsWith("both clients closed; bye"), out);
    } finally {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static String readAll(Process p) {
    try {
      return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void anUnknownArgumentPrintsUsageAndExits2() throws Exception {
    Process p =
        new ProcessBuilder(java(), "-jar", jar().toString(), "--nope")
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    try {
      assertTrue(p.waitFor(30, TimeUnit.SECONDS));
      String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(2, p.exitValue());
      assertTrue(err.contains("error: unknown argument --nope") && err.contains("usage: "), err);
    } finally {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
