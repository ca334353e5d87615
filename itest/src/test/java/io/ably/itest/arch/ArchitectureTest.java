package io.ably.itest.arch;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.Location;
import io.ably.itest.support.ModuleLocations;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleReference;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The architecture of ARCHITECTURE.md §2 and §3, checked on the bytecode of all six modules,
 * imported from the directories or jars where the build put each module (found by module name on
 * the test JVM's module path and class path, never by class-loader package scanning).
 */
class ArchitectureTest {
  /**
   * The only engine classes allowed volatile fields and atomics (ARCHITECTURE.md §3): the
   * published connection snapshot and the single-writer counters, their per-channel and REST
   * equivalents, the lock-free channel directory user threads look channels up in, the serial
   * hand-off to an application's callback executor, and the single-writer slots (release stores)
   * the counters share. Exact class names; nested classes of these are not exempt. None may take a
   * lock or a monitor.
   */
  static final Set<String> ENGINE_BOUNDARY_CLASSES =
      Set.of(
          "io.ably.engine.internal.PublishedState",
          "io.ably.engine.internal.Counters",
          "io.ably.engine.internal.ChannelCounters",
          "io.ably.engine.internal.RestCounters",
          "io.ably.engine.internal.ChannelDirectory",
          "io.ably.engine.internal.SerialExecutor",
          "io.ably.engine.internal.CounterSlots",
          // the token in use and the identified clientId, read by auth() getters and JMX
          "io.ably.engine.internal.PublishedAuth");

  static final List<String> MODULES =
      List.of(
          "io.ably.api",
          "io.ably.wire",
          "io.ably.engine",
          "io.ably.jmx",
          "io.ably.osgi",
          "io.ably.itest");

  private static final String ENGINE = "io.ably.engine..";
  private static final String API = "io.ably.api..";

  private static JavaClasses classes;
  private static Set<String> unqualifiedExports;

  @BeforeAll
  static void importAllModules() {
    List<Location> locations = new ArrayList<>();
    Set<String> exports = new TreeSet<>();
    for (String module : MODULES) {
      ModuleReference ref = ModuleLocations.require(module);
      locations.add(location(ModuleLocations.path(ref)));
      for (ModuleDescriptor.Exports export : ref.descriptor().exports()) {
        if (!export.isQualified()) {
          exports.add(export.source());
        }
      }
    }
    classes = new ClassFileImporter().importLocations(locations);
    unqualifiedExports = exports;
  }

  private static Location location(Path path) {
    if (Files.isDirectory(path)) {
      return Location.of(path);
    }
    return Location.of(URI.create("jar:" + path.toUri() + "!/"));
  }

  @Test
  void everyModuleWasImportedSoNoRuleCanPassVacuously() {
    assertAll(
        () ->
            assertTrue(
                classes.contain("io.ably.engine.internal.EventLoopConfined"),
                "engine classes were not imported"),
        () -> assertTrue(classes.contain("io.ably.api.AblyException"), "API not imported"),
        () -> assertTrue(classes.contain("io.ably.wire.ProtocolMessage"), "wire not imported"),
        () -> assertTrue(unqualifiedExports.contains("io.ably.api"), "exports not read"),
        () -> assertFalse(unqualifiedExports.contains("io.ably.wire"), "wire is qualified"));
  }

  @Test
  void everyUnqualifiedExportHasClassesToCheck() {
    for (String exported : unqualifiedExports) {
      assertTrue(
          classes.stream().anyMatch(c -> c.getPackageName().equals(exported)),
          () -> "no class imported from exported package " + exported);
    }
  }

  @Test
  void engineDeclaresNoSynchronizedMethods() {
    ArchitectureRules.noSynchronizedMethods(ENGINE).check(classes);
  }

  @Test
  void engineContainsNoSynchronizedBlocks() {
    ArchitectureRules.noSynchronizedBlocks(ENGINE).check(classes);
  }

  @Test
  void engineNeverWaitsOnOrNotifiesAMonitor() {
    ArchitectureRules.noWaitOrNotify(ENGINE).check(classes);
  }

  @Test
  void engineUsesNoLocks() {
    ArchitectureRules.noLocks(ENGINE).check(classes);
  }

  @Test
  void engineDeclaresVolatileFieldsOnlyInTheBoundaryClasses() {
    ArchitectureRules.noVolatileFieldsOutside(ENGINE, ENGINE_BOUNDARY_CLASSES).check(classes);
  }

  @Test
  void engineUsesAtomicsOnlyInTheBoundaryClasses() {
    ArchitectureRules.noAtomicsOutside(ENGINE, ENGINE_BOUNDARY_CLASSES).check(classes);
  }

  @Test
  void publishedSignaturesMentionNoNettyFastjson2OrMsgpackType() {
    ArchitectureRules.publishedSignaturesHideImplementationLibraries(unqualifiedExports)
        .check(classes);
  }

  @Test
  void apiDependsOnlyOnTheJdkAndOsgiAnnotations() {
    ArchitectureRules.dependOnlyOnTheJdk(API).check(classes);
  }
}
