package io.ably.itest.jpms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Typed events in a modular application (test resources {@code jpms/typedapp}): its module
 * exports the package of its event records to {@code io.ably.wire} and nothing is opened; run on
 * the module path only, it publishes a record with nested records, a list, an enum, an Instant and
 * a BigDecimal to itself in JSON and in MessagePack and gets it back equal; a record in a package
 * it does not export cannot be published, and the error says what to export.
 */
class ModularTypedEventsIT {
  private static final Duration CHILD_TIMEOUT = Duration.ofSeconds(60);
  private static final List<String> SOURCES =
      List.of(
          "module-info.java",
          "example/events/Trade.java",
          "example/hidden/Secret.java",
          "example/typedapp/Main.java");

  @TempDir Path work;

  private Path compile() throws IOException {
    Path sources = work.resolve("src");
    List<Path> paths = new ArrayList<>();
    for (String source : SOURCES) {
      Path target = sources.resolve(source);
      Files.createDirectories(target.getParent());
      try (InputStream in =
          ModularTypedEventsIT.class.getResourceAsStream("/jpms/typedapp/" + source)) {
        assertTrue(in != null, "test resource jpms/typedapp/" + source + " is missing");
        Files.copy(in, target);
      }
      paths.add(target);
    }
    Path module = work.resolve("typedapp");
    Map<String, Path> api = ModulePath.closure(List.of("io.ably.api"), ModulePath.RUN_TIME);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    StringWriter out = new StringWriter();
    try (StandardJavaFileManager files =
        javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
      // -module: the qualified export names io.ably.wire, which is not on the compile path (the
      // application compiles against the API alone) and is resolved at run time.
      List<String> options =
          List.of(
              "--release", "17",
              "-Xlint:all,-module", "-Werror",
              "--module-path", ModulePath.join(api.values()),
              "-d", module.toString());
      boolean compiled =
          javac.getTask(out, files, diagnostics, options, null, files.getJavaFileObjectsFromPaths(paths))
              .call();
      assertTrue(compiled, () -> "the app does not compile: " + diagnostics.getDiagnostics() + out);
    }
    return module;
  }

  private static String value(Child child, String key) throws InterruptedException {
    return child.awaitLine(key + "=", CHILD_TIMEOUT).substring(key.length() + 1);
  }

  @Test
  void aModularAppThatExportsItsEventPackageToTheCodecRoundTripsRecordsInBothFormats()
      throws Exception {
    Path module = compile();
    Map<String, Path> runtime =
        ModulePath.closure(List.of("io.ably.api", "io.ably.engine"), ModulePath.RUN_TIME);
    List<Path> modulePath = new ArrayList<>();
    modulePath.add(module);
    modulePath.addAll(runtime.values());
    try (AblyTestServer server = AblyTestServer.builder().start();
        Child app =
            Child.start(
                List.of(
                    Child.javaLauncher().toString(),
                    "-ea",
                    "-Xmx128m",
                    "--module-path", ModulePath.join(modulePath),
                    "--module", "typedapp/example.typedapp.Main",
                    "127.0.0.1",
                    String.valueOf(server.port()),
                    "typed"),
                Map.of("ABLY_KEY", server.defaultKey().keyStr()))) {
      assertEquals("true", value(app, "roundtrip.JSON"), app::describe);
      assertEquals("true", value(app, "roundtrip.MSGPACK"), app::describe);
      String hidden = value(app, "hidden.error");
      assertTrue(hidden.contains("40013") && hidden.contains("exported to io.ably.wire"), hidden);
      assertEquals("true", value(app, "done"));
      assertEquals(0, app.awaitExit(CHILD_TIMEOUT), app::describe);
    }
  }
}
