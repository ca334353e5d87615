package io.ably.itest.packaging;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.ably.itest.support.ModuleLocations;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Proves that each of the six packaged jars is both a JPMS module and an OSGi bundle, and that the
 * two views agree (ARCHITECTURE.md §2): JPMS name = Bundle-SymbolicName = artifactId, every
 * unqualified JPMS export is a versioned OSGi export anyone may import, every qualified one is an
 * OSGi export guarded by the mandatory {@code io.ably.internal} attribute, and OSGi exports
 * nothing JPMS keeps private.
 *
 * <p>Runs in the {@code integration-test} phase, after {@code package}: the other modules' jars are
 * found by module name on the test JVM's module path or class path, and this module's own jar is
 * named by the {@code ably.itest.jar} system property that the Failsafe configuration sets.
 */
class PackagingIT {
  static final List<String> MODULES =
      List.of(
          "io.ably.api",
          "io.ably.wire",
          "io.ably.engine",
          "io.ably.jmx",
          "io.ably.osgi",
          "io.ably.itest");

  /** The attribute an OSGi importer must name to wire to an internal (qualified) export. */
  static final String INTERNAL_ATTRIBUTE = "io.ably.internal";

  private static final Pattern OSGI_VERSION =
      Pattern.compile("\\d+(\\.\\d+(\\.\\d+(\\.[A-Za-z0-9_-]+)?)?)?");

  private static final Map<String, PackagedModule> JARS = new TreeMap<>();

  @BeforeAll
  static void readEveryJar() {
    for (String module : MODULES) {
      JARS.put(module, PackagedModule.read(jarOf(module)));
    }
  }

  static Stream<String> modules() {
    return MODULES.stream();
  }

  private static Path jarOf(String module) {
    Path path;
    if (module.equals("io.ably.itest")) {
      String property = System.getProperty("ably.itest.jar");
      assertNotNull(property, "ably.itest.jar is not set: run this test through Failsafe");
      path = Path.of(property);
    } else {
      path = ModuleLocations.path(ModuleLocations.require(module));
    }
    assertTrue(
        Files.isRegularFile(path) && path.getFileName().toString().endsWith(".jar"),
        () ->
            module
                + " was found at "
                + path
                + ", not in a packaged jar: run `mvnw verify` so that the reactor packages it");
    return path;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("modules")
  void jarHasModuleInfoAtItsRoot(String module) {
    assertTrue(JARS.get(module).rootModuleInfo, () -> module + " has no root module-info.class");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("modules")
  void moduleNameEqualsBundleSymbolicNameAndArtifactId(String module) {
    PackagedModule jar = JARS.get(module);
    List<OsgiHeader.Clause> symbolicName = jar.header("Bundle-SymbolicName");
    assertEquals(1, symbolicName.size(), "Bundle-SymbolicName clauses");
    assertEquals(1, symbolicName.get(0).paths().size(), "Bundle-SymbolicName names");
    assertAll(
        () -> assertEquals(module, jar.descriptor().name(), "JPMS module name"),
        () -> assertEquals(module, symbolicName.get(0).paths().get(0), "Bundle-SymbolicName"),
        () -> assertEquals(module, jar.artifactId, "artifactId in the jar's pom.properties"),
        () ->
            assertTrue(
                jar.fileName.startsWith(module + "-"),
                () -> "jar " + jar.fileName + " is not named after " + module));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("modules")
  void declaresBundleManifestVersion2(String module) {
    assertEquals("2", JARS.get(module).mainAttribute("Bundle-ManifestVersion"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("modules")
  void everyUnqualifiedExportIsAVersionedOsgiExportAnyoneMayImport(String module) {
    PackagedModule jar = JARS.get(module);
    for (String exported : jar.jpmsExports(false)) {
      List<OsgiHeader.Clause> clauses = jar.osgiExportsOf(exported);
      assertFalse(clauses.isEmpty(), () -> module + ": " + exported + " is not in Export-Package");
      for (OsgiHeader.Clause clause : clauses) {
        assertVersioned(module, exported, clause);
        assertFalse(
            clause.directives().containsKey("mandatory"),
            () ->
                module + ": public package " + exported + " has a mandatory directive: " + clause);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("modules")
  void everyQualifiedExportIsAnOsgiExportThatImportersMustAskForByAttribute(String module) {
    PackagedModule jar = JARS.get(module);
    for (String exported : jar.jpmsExports(true)) {
      List<OsgiHeader.Clause> clauses = jar.osgiExportsOf(exported);
      assertFalse(clauses.isEmpty(), () -> module + ": " + exported + " is not in Export-Package");
      for (OsgiHeader.Clause clause : clauses) {
        assertVersioned(module, exported, clause);
        String mandatory = clause.directives().get("mandatory");
        assertNotNull(mandatory, () -> module + ": internal " + exported + " is not mandatory");
        assertEquals(
            List.of(INTERNAL_ATTRIBUTE),
            OsgiHeader.splitList(mandatory),
            () -> module + ": mandatory attributes of " + exported);
        assertEquals(
            "true",
            clause.attributes().get(INTERNAL_ATTRIBUTE),
            () -> module + ": attribute " + INTERNAL_ATTRIBUTE + " of " + exported);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("modules")
  void osgiExportsNoPackageThatJpmsKeepsPrivate(String module) {
    PackagedModule jar = JARS.get(module);
    Set<String> jpms = new TreeSet<>(jar.jpmsExports(false));
    jpms.addAll(jar.jpmsExports(true));
    Set<String> osgi = new TreeSet<>();
    for (OsgiHeader.Clause clause : jar.header("Export-Package")) {
      osgi.addAll(clause.paths());
    }
    osgi.removeAll(jpms);
    assertEquals(Set.of(), osgi, () -> module + " exports to OSGi what JPMS does not export");
  }

  @Test
  void apiImportsOnlyTheJdkAndItsOwnPackages() {
    List<String> foreign = new ArrayList<>();
    for (OsgiHeader.Clause clause : JARS.get("io.ably.api").header("Import-Package")) {
      for (String imported : clause.paths()) {
        boolean own = imported.equals("io.ably.api") || imported.startsWith("io.ably.api.");
        if (!own && !imported.startsWith("java.")) {
          foreign.add(imported);
        }
      }
    }
    assertEquals(List.of(), foreign, "io.ably.api imports packages outside java.* and itself");
  }

  private static void assertVersioned(String module, String exported, OsgiHeader.Clause clause) {
    String version = clause.attributes().get("version");
    assertNotNull(version, () -> module + ": export of " + exported + " has no version");
    assertTrue(
        OSGI_VERSION.matcher(version).matches(),
        () -> module + ": export of " + exported + " has a malformed version " + version);
  }

  /** What one jar says about itself, read once. */
  private static final class PackagedModule {
    final String fileName;
    final boolean rootModuleInfo;
    final ModuleDescriptor descriptor;
    final Attributes manifest;
    final String artifactId;

    private PackagedModule(
        String fileName,
        boolean rootModuleInfo,
        ModuleDescriptor descriptor,
        Attributes manifest,
        String artifactId) {
      this.fileName = fileName;
      this.rootModuleInfo = rootModuleInfo;
      this.descriptor = descriptor;
      this.manifest = manifest;
      this.artifactId = artifactId;
    }

    static PackagedModule read(Path path) {
      // JarFile(File) reads the base entries only: a module-info.class under
      // META-INF/versions/ does not count as one at the root.
      try (JarFile jar = new JarFile(path.toFile())) {
        JarEntry moduleInfo = jar.getJarEntry("module-info.class");
        if (moduleInfo == null) {
          return new PackagedModule(
              path.getFileName().toString(), false, null, mainAttributes(jar), artifactId(jar));
        }
        ModuleDescriptor descriptor;
        try (InputStream in = jar.getInputStream(moduleInfo)) {
          descriptor = ModuleDescriptor.read(in);
        }
        return new PackagedModule(
            path.getFileName().toString(), true, descriptor, mainAttributes(jar), artifactId(jar));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + path, e);
      }
    }

    private static Attributes mainAttributes(JarFile jar) throws IOException {
      if (jar.getManifest() == null) {
        fail(jar.getName() + " has no META-INF/MANIFEST.MF");
      }
      return jar.getManifest().getMainAttributes();
    }

    private static String artifactId(JarFile jar) throws IOException {
      List<String> artifactIds = new ArrayList<>();
      for (JarEntry entry : Collections.list(jar.entries())) {
        String name = entry.getName();
        if (name.startsWith("META-INF/maven/") && name.endsWith("/pom.properties")) {
          Properties properties = new Properties();
          try (InputStream in = jar.getInputStream(entry)) {
            properties.load(in);
          }
          artifactIds.add(properties.getProperty("artifactId"));
        }
      }
      assertEquals(1, artifactIds.size(), () -> jar.getName() + ": pom.properties " + artifactIds);
      return artifactIds.get(0);
    }

    String mainAttribute(String name) {
      return manifest.getValue(name);
    }

    List<OsgiHeader.Clause> header(String name) {
      return OsgiHeader.parse(manifest.getValue(name));
    }

    ModuleDescriptor descriptor() {
      assertNotNull(descriptor, () -> fileName + " has no root module-info.class");
      return descriptor;
    }

    /** The module's exports, qualified ({@code exports p to m}) or not. */
    List<String> jpmsExports(boolean qualified) {
      List<String> packages = new ArrayList<>();
      for (ModuleDescriptor.Exports export : descriptor().exports()) {
        if (export.isQualified() == qualified) {
          packages.add(export.source());
        }
      }
      Collections.sort(packages);
      return packages;
    }

    List<OsgiHeader.Clause> osgiExportsOf(String pkg) {
      List<OsgiHeader.Clause> clauses = new ArrayList<>();
      for (OsgiHeader.Clause clause : header("Export-Package")) {
        if (clause.paths().contains(pkg)) {
          clauses.add(clause);
        }
      }
      return clauses;
    }
  }
}
