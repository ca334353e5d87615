package io.ably.itest.jpms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ably.api.Ably;
import io.ably.api.Channel;
import io.ably.api.ClientOptions;
import io.ably.api.RealtimeClient;
import io.ably.api.Subscription;
import io.ably.api.message.Message;
import io.ably.api.message.MessageData;
import io.ably.itest.AblyTestServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A modular application as users write one: {@code module app { requires io.ably.api; }}. The test
 * compiles its source (test resources {@code jpms/app}) against the packaged API jar alone, then
 * runs it in a child JVM on the module path only ({@code java -p ... -m app/example.app.Main}),
 * with the engine, Netty, fastjson2 and msgpack-core beside it. The application never names the
 * engine: {@code Ably.realtime} finds it through {@code ServiceLoader}. It connects to a testkit
 * server this test starts on loopback, and exchanges messages on a channel with a client of the
 * test's own: each side publishes one that the other receives.
 */
class ModularAppIT {
  private static final String MAIN = "app/example.app.Main";
  private static final Duration CHILD_TIMEOUT = Duration.ofSeconds(60);
  private static final List<String> SOURCES =
      List.of("module-info.java", "example/app/Main.java");

  @TempDir static Path work;
  private static Path appModule;

  @BeforeAll
  static void compileTheApplicationAgainstTheApiJarAlone() throws IOException {
    Path sources = work.resolve("src");
    for (String source : SOURCES) {
      Path target = sources.resolve(source);
      Files.createDirectories(target.getParent());
      try (InputStream in = ModularAppIT.class.getResourceAsStream("/jpms/app/" + source)) {
        assertTrue(in != null, "test resource jpms/app/" + source + " is missing");
        Files.copy(in, target);
      }
    }
    appModule = work.resolve("app");
    Map<String, Path> api = ModulePath.closure(List.of("io.ably.api"), ModulePath.RUN_TIME);
    assertEquals(Set.of("io.ably.api"), api.keySet(), "the API needs nothing at run time");

    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    StringWriter out = new StringWriter();
    try (StandardJavaFileManager files =
        javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
      List<Path> paths = new ArrayList<>();
      for (String source : SOURCES) {
        paths.add(sources.resolve(source));
      }
      List<String> options =
          List.of(
              "--release", "17",
              "-Xlint:all", "-Werror",
              "--module-path", ModulePath.join(api.values()),
              "-d", appModule.toString());
      Iterable<? extends JavaFileObject> units = files.getJavaFileObjectsFromPaths(paths);
      boolean compiled = javac.getTask(out, files, diagnostics, options, null, units).call();
      assertTrue(
          compiled, () -> "the app does not compile: " + diagnostics.getDiagnostics() + out);
    }
    assertTrue(Files.isRegularFile(appModule.resolve("module-info.class")));
  }

  private static List<String> command(Map<String, Path> modules, int port, String channel) {
    List<Path> modulePath = new ArrayList<>();
    modulePath.add(appModule);
    modulePath.addAll(modules.values());
    return List.of(
        Child.javaLauncher().toString(),
        "-ea",
        "-Xmx128m",
        "-Dio.netty.leakDetection.level=paranoid",
        "--module-path", ModulePath.join(modulePath),
        "--module", MAIN,
        "127.0.0.1",
        String.valueOf(port),
        channel);
  }

  private static String value(Child child, String key) throws InterruptedException {
    return child.awaitLine(key + "=", CHILD_TIMEOUT).substring(key.length() + 1);
  }

  @Test
  void modularAppFindsTheEngineThroughServiceLoaderConnectsAndExchangesMessages() throws Exception {
    Map<String, Path> runtime =
        ModulePath.closure(List.of("io.ably.api", "io.ably.engine"), ModulePath.RUN_TIME);
    Set<String> needed =
        Set.of("io.ably.wire", "io.netty.codec.http", "com.alibaba.fastjson2", "msgpack.core");
    assertTrue(runtime.keySet().containsAll(needed), () -> "module path " + runtime.keySet());
    assertFalse(
        runtime.containsKey("org.osgi.annotation.bundle"), "annotations are compile-time only");

    try (AblyTestServer server = AblyTestServer.builder().start();
        RealtimeClient peer =
            Ably.realtime(
                ClientOptions.builder()
                    .name("jpms-peer")
                    .key(server.defaultKey().keyStr())
                    .host("127.0.0.1")
                    .port(server.port())
                    .tls(false)
                    .build())) {
      Channel channel = peer.channels().get("modular");
      BlockingQueue<Message> received = new LinkedBlockingQueue<>();
      Subscription subscription = channel.subscribe(received::add);
      channel.attach().toCompletableFuture().get(10, TimeUnit.SECONDS);
      try (Child app =
          Child.start(
              command(runtime, server.port(), "modular"),
              Map.of("ABLY_KEY", server.defaultKey().keyStr()))) {
        runTheApp(app, runtime, channel, received);
      } finally {
        subscription.close();
      }
    }
  }

  private static void runTheApp(
      Child app, Map<String, Path> runtime, Channel channel, BlockingQueue<Message> received)
      throws Exception {
    assertEquals("", value(app, "class.path"), "the application runs on the module path only");
    assertEquals("app", value(app, "app.module"));
    Set<String> bootLayer = new TreeSet<>(List.of(value(app, "boot.layer").split(",")));
    Set<String> expected = new TreeSet<>(runtime.keySet());
    expected.add("app");
    assertEquals(expected, bootLayer, "resolved from `app` plus the engine bound as a service");

    assertEquals("io.ably.engine", value(app, "engine.module"), "the client is the engine's");
    assertEquals("0", value(app, "engine.exports"), "the engine exports nothing");
    assertEquals("false", value(app, "app.reads.engine"), "the app does not read the engine");
    assertEquals("true", value(app, "engine.encapsulated"), "engine internals are closed");
    assertEquals("CONNECTED", value(app, "state"), app::describe);
    assertFalse(value(app, "connection.id").isBlank());

    assertEquals("ATTACHED", value(app, "attached"));
    Message fromApp = received.poll(CHILD_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    assertNotNull(fromApp, app::describe);
    assertEquals("from-app", fromApp.name());
    assertEquals(MessageData.text("hello from a module"), fromApp.data());
    assertEquals(fromApp.serial(), value(app, "published.serial"));

    channel.publish("from-test", "hello from the class path").toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
    assertEquals("from-test:hello from the class path", value(app, "received"));
    assertEquals("2", value(app, "channel.received"), "its own echo and the test's message");
    assertEquals("CLOSED", value(app, "closed"));
    assertEquals(0, app.awaitExit(CHILD_TIMEOUT), app::describe);
  }

  @Test
  void withoutTheEngineOnTheModulePathTheAppGetsAClearError() throws Exception {
    Map<String, Path> apiOnly = ModulePath.closure(List.of("io.ably.api"), ModulePath.RUN_TIME);
    try (Child app =
        Child.start(
            command(apiOnly, 9, "unused"), Map.of("ABLY_KEY", "testapp.key1:testsecret1"))) {
      assertEquals("app", value(app, "app.module"));
      assertEquals("app,io.ably.api", value(app, "boot.layer"));
      String error = value(app, "error");
      assertTrue(error.contains("50000") && error.contains("no Ably engine found"), error);
      assertEquals(3, app.awaitExit(CHILD_TIMEOUT), app::describe);
    }
  }
}
