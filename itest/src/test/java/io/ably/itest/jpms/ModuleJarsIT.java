package io.ably.itest.jpms;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every module jar of this build as the JDK's own tools judge it: {@code jdeps --check} (each
 * module uses only modules it reads, has no qualified export that its targets leave unused, and
 * requires nothing it does not use but the few listed below, each with its reason), and
 * {@code java --validate-modules} over the module path of all of them and their dependencies (no
 * split package, no conflict). Runs on the packaged jars, after {@code package}.
 */
class ModuleJarsIT {
  static final List<String> MODULES =
      List.of(
          "io.ably.api",
          "io.ably.wire",
          "io.ably.engine",
          "io.ably.jmx",
          "io.ably.osgi",
          "io.ably.itest");

  /**
   * Non-static {@code requires} that jdeps finds no class of the module using, each allowed for a
   * reason. Any other unused {@code requires} fails the test.
   */
  static final Map<String, Set<String>> UNUSED_REQUIRES_ALLOWED = Map.of();

  private static Map<String, Path> modulePath;
  private static JdepsCheck.Run jdeps;

  @BeforeAll
  static void runJdepsOnEveryModuleJar() {
    modulePath = ModulePath.closure(MODULES, ModulePath.COMPILE_TIME);
    jdeps = JdepsCheck.run(modulePath.values(), MODULES);
  }

  static Stream<String> modules() {
    return MODULES.stream();
  }

  @Test
  void jdepsRunsCleanlyOverTheModulePathOfAllJars() {
    assertEquals(0, jdeps.exitCode(), jdeps.output());
    for (String line : jdeps.output().split("\\R")) {
      assertTrue(
          !line.startsWith("Error") && !line.startsWith("Warning"),
          () -> "jdeps complains: " + line + "\n" + jdeps.output());
    }
    assertEquals(new TreeSet<>(MODULES), new TreeSet<>(jdeps.reports().keySet()), jdeps.output());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("modules")
  void everyModuleTheClassesUseIsOneTheModuleReads(String module) {
    JdepsCheck.Report report = jdeps.reports().get(module);
    assertNotNull(report, () -> "jdeps said nothing of " + module + "\n" + jdeps.output());
    Set<String> unread = new TreeSet<>(report.suggested());
    unread.removeAll(JdepsCheck.readableFrom(module, modulePath.values()));
    assertEquals(
        Set.of(), unread, () -> module + " uses modules it does not read\n" + jdeps.output());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("modules")
  void noQualifiedExportIsLeftUnusedByItsTargets(String module) {
    JdepsCheck.Report report = jdeps.reports().get(module);
    assertNotNull(report, () -> "jdeps said nothing of " + module);
    assertEquals(List.of(), report.unusedQualifiedExports(), jdeps::output);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("modules")
  void requiresNothingItDoesNotUseButWhatIsListedWithAReason(String module) {
    JdepsCheck.Report report = jdeps.reports().get(module);
    assertNotNull(report, () -> "jdeps said nothing of " + module);
    Set<String> unexplained = new TreeSet<>(report.unusedRequires());
    unexplained.removeAll(UNUSED_REQUIRES_ALLOWED.getOrDefault(module, Set.of()));
    assertEquals(Set.of(), unexplained, () -> module + ": unused requires\n" + jdeps.output());
  }

  @Test
  void theReportReaderSeesUnusedRequiresAndQualifiedExports() {
    String sample =
        String.join(
            "\n",
            "sample.a (file:///somewhere/sample.a/)",
            "  [Module descriptor]",
            "    requires mandated java.base (@17.0.15);",
            "    requires java.logging (@17.0.15);",
            "    requires static org.example.annotations;",
            "  [Suggested module descriptor for sample.a]",
            "    requires mandated java.base;",
            "  [Transitive reduced graph for sample.a]",
            "    requires mandated java.base;",
            "  [Unused qualified exports in sample.a]",
            "    exports sample.a.hidden to sample.b",
            "");
    JdepsCheck.Report report = JdepsCheck.parse(sample).get("sample.a");
    assertNotNull(report);
    assertAll(
        () -> assertEquals(Set.of("java.logging"), report.unusedRequires()),
        () ->
            assertEquals(
                List.of("exports sample.a.hidden to sample.b"), report.unusedQualifiedExports()),
        () -> assertEquals(Set.of("java.base"), report.suggested()));
  }

  @Test
  void javaValidatesTheModulePathOfAllJars() throws Exception {
    List<String> command = validateModules(new ArrayList<>(modulePath.values()));
    try (Child java = Child.start(command, Map.of())) {
      assertEquals(0, java.awaitExit(Duration.ofSeconds(60)), java::describe);
      assertEquals(List.of(), java.output(), java::describe);
    }
  }

  @Test
  void validationFailsOnAJarThatSplitsAPackageOfOurs(@TempDir Path dir) throws Exception {
    Path split = dir.resolve("split.jar");
    try (OutputStream file = Files.newOutputStream(split);
        JarOutputStream jar = new JarOutputStream(file)) {
      jar.putNextEntry(new JarEntry("io/ably/api/Intruder.class"));
      jar.closeEntry();
    }
    List<Path> paths = new ArrayList<>(modulePath.values());
    paths.add(split);
    try (Child java = Child.start(validateModules(paths), Map.of())) {
      assertNotEquals(0, java.awaitExit(Duration.ofSeconds(60)), java::describe);
      assertTrue(
          String.join("\n", java.output()).contains("io.ably.api"), java::describe);
    }
  }

  private static List<String> validateModules(List<Path> paths) throws IOException {
    return List.of(
        Child.javaLauncher().toString(),
        "--module-path", ModulePath.join(paths),
        "--validate-modules");
  }
}
