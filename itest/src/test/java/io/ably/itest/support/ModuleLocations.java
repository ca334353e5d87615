package io.ably.itest.support;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarFile;
import java.util.regex.Pattern;

/**
 * Finds the explicit (non-automatic) modules on the test JVM's own module path and class path, by
 * reading the {@code jdk.module.path} and {@code java.class.path} entries that hold a root
 * {@code module-info.class}. This works whether the build put a module on the module path or on the
 * class path, and for both exploded ({@code target/classes}) and packaged modules, and it needs no
 * class of the module: {@code io.ably.engine} exports nothing.
 */
public final class ModuleLocations {
  private ModuleLocations() {}

  /** Returns every explicit module found on the test paths, by module name. */
  public static Map<String, ModuleReference> onTestPaths() {
    Map<String, ModuleReference> byName = new TreeMap<>();
    for (Path entry : pathEntries()) {
      if (!hasRootModuleInfo(entry)) {
        continue;
      }
      for (ModuleReference ref : ModuleFinder.of(entry).findAll()) {
        ModuleReference earlier = byName.putIfAbsent(ref.descriptor().name(), ref);
        if (earlier != null && !earlier.location().equals(ref.location())) {
          throw new IllegalStateException(
              "module "
                  + ref.descriptor().name()
                  + " found twice on the test paths: "
                  + earlier.location().orElseThrow()
                  + " and "
                  + ref.location().orElseThrow());
        }
      }
    }
    return byName;
  }

  /** Returns the named module, or fails naming the paths that were searched. */
  public static ModuleReference require(String moduleName) {
    ModuleReference ref = onTestPaths().get(moduleName);
    if (ref == null) {
      throw new IllegalStateException(
          "module " + moduleName + " is on neither test path; searched " + pathEntries());
    }
    return ref;
  }

  /** Returns the file system location (a directory or a jar) of a module found on the paths. */
  public static Path path(ModuleReference ref) {
    return Path.of(ref.location().orElseThrow());
  }

  private static List<Path> pathEntries() {
    List<Path> entries = new ArrayList<>();
    for (String property : List.of("jdk.module.path", "java.class.path")) {
      String value = System.getProperty(property, "");
      for (String entry : value.split(Pattern.quote(File.pathSeparator), -1)) {
        if (!entry.isBlank()) {
          entries.add(Path.of(entry).toAbsolutePath().normalize());
        }
      }
    }
    return entries;
  }

  private static boolean hasRootModuleInfo(Path entry) {
    if (Files.isDirectory(entry)) {
      return Files.isRegularFile(entry.resolve("module-info.class"));
    }
    if (!Files.isRegularFile(entry) || !entry.getFileName().toString().endsWith(".jar")) {
      return false;
    }
    try (JarFile jar = new JarFile(entry.toFile())) {
      return jar.getJarEntry("module-info.class") != null;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + entry, e);
    }
  }
}
