package io.ably.itest.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The standalone server jar: one command, one line with its address, a clean stop on SIGTERM. */
class LocalServerJarIT {
  private static final Pattern LISTENING = Pattern.compile("listening on ws://127\\.0\\.0\\.1:(\\d+)");

  private static Path jar() {
    Path jar = Path.of(System.getProperty("ably.itest.dir", "target"), "ably-local-server.jar");
    assertTrue(Files.isRegularFile(jar), "the build must produce " + jar.toAbsolutePath());
    return jar;
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  @Test
  void theJarPrintsItsAddressServesAndStopsCleanlyOnSigterm() throws Exception {
    Process p =
        new ProcessBuilder(java(), "-jar", jar().toString(), "--port", "0", "--key", "app9.k:secret9")
            .redirectError(ProcessBuilder.Redirect.DISCARD) // the JVM may warn there (JDK 24+ Unsafe)
            .start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String line = CompletableFuture.supplyAsync(() -> readLine(out)).get(30, TimeUnit.SECONDS);
      Matcher m = LISTENING.matcher(line);
      assertTrue(m.matches(), "first line was: " + line);
      int port = Integer.parseInt(m.group(1));

      HttpURLConnection time =
          (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/time").toURL().openConnection();
      time.setConnectTimeout(5_000);
      time.setReadTimeout(5_000);
      assertEquals(200, time.getResponseCode());
      String body = new String(time.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(body.matches("\\[\\d{13}]"), body);

      p.destroy(); // SIGTERM
      assertTrue(p.waitFor(20, TimeUnit.SECONDS), "the server must stop on SIGTERM");
      assertEquals(143, p.exitValue(), "exit status of a JVM ended by SIGTERM");
    } finally {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void withTlsItListensOnWssAndWritesItsCertificate(@TempDir Path dir) throws Exception {
    Path pem = dir.resolve("testkit.pem");
    Process p =
        new ProcessBuilder(java(), "-jar", jar().toString(), "--tls", "--cert-out", pem.toString())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String line = CompletableFuture.supplyAsync(() -> readLine(out)).get(60, TimeUnit.SECONDS);
      assertTrue(line.matches("listening on wss://127\\.0\\.0\\.1:\\d+"), line);
      assertTrue(Files.readString(pem).startsWith("-----BEGIN CERTIFICATE-----"));
    } finally {
      p.destroy();
      p.waitFor(20, TimeUnit.SECONDS);
      p.destroyForcibly();
    }
  }

  @Test
  void badArgumentsPrintUsageAndExitWithStatus2() throws Exception {
    Process p =
        new ProcessBuilder(java(), "-jar", jar().toString(), "--port", "not-a-port").start();
    try {
      assertTrue(p.waitFor(30, TimeUnit.SECONDS));
      String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      List<String> err =
          new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
      assertEquals(2, p.exitValue());
      assertEquals("", stdout, "errors go to stderr");
      int at = err.indexOf("error: not a number: not-a-port");
      assertTrue(at >= 0, err.toString());
      assertTrue(err.get(at + 1).startsWith("usage: "), err.toString());
    } finally {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static String readLine(BufferedReader in) {
    try {
      String line = in.readLine();
      return line == null ? "<end of output>" : line;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
