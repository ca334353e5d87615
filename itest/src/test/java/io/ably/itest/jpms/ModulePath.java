package io.ably.itest.jpms;

import io.ably.itest.support.ModuleLocations;
import java.io.File;
import java.lang.module.FindException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Builds module paths out of the jars the test JVM already has: this project's modules through
 * {@link ModuleLocations} (they must be packaged jars), and third-party modules (Netty, fastjson2,
 * msgpack-core, the OSGi annotations) from the jars of the test class path, read as the module
 * system reads them (multi-release descriptors, automatic module names).
 */
final class ModulePath {
  /** Everything a root needs at run time: non-static {@code requires}, transitively. */
  static final boolean RUN_TIME = false;

  /** Also the {@code requires static} modules found on the test class path (compile time). */
  static final boolean COMPILE_TIME = true;

  private ModulePath() {}

  /**
   * Returns the jars of {@code roots} and of every module they require, transitively, by module
   * name. A module the JDK has is left out; a non-static requirement found nowhere fails.
   *
   * @param roots module names
   * @param withStatic whether {@code requires static} modules are followed too (when present)
   */
  static Map<String, Path> closure(Collection<String> roots, boolean withStatic) {
    Map<String, ModuleReference> thirdParty = thirdPartyOnClassPath();
    Map<String, Path> result = new TreeMap<>();
    Deque<String> todo = new ArrayDeque<>(roots);
    Set<String> optional = new java.util.HashSet<>();
    while (!todo.isEmpty()) {
      String name = todo.pop();
      if (result.containsKey(name) || ModuleFinder.ofSystem().find(name).isPresent()) {
        continue;
      }
      ModuleReference ref =
          name.startsWith("io.ably.") ? ModuleLocations.require(name) : thirdParty.get(name);
      if (ref == null) {
        if (optional.contains(name)) {
          continue; // an optional dependency (jzlib, brotli4j, conscrypt...) that nobody here has
        }
        throw new IllegalStateException(
            "module " + name + " is required but is in no jar of the test class path");
      }
      Path jar = ModuleLocations.path(ref);
      if (!Files.isRegularFile(jar) || !jar.getFileName().toString().endsWith(".jar")) {
        throw new IllegalStateException(
            name + " was found at " + jar + ", not in a packaged jar: run `mvnw verify`");
      }
      result.put(name, jar);
      for (ModuleDescriptor.Requires requires : ref.descriptor().requires()) {
        boolean isStatic = requires.modifiers().contains(ModuleDescriptor.Requires.Modifier.STATIC);
        if (isStatic && !withStatic) {
          continue;
        }
        if (isStatic && !result.containsKey(requires.name())) {
          optional.add(requires.name());
        }
        todo.add(requires.name());
      }
    }
    return result;
  }

  /** Joins paths with the platform's path separator, as {@code -p} wants them. */
  static String join(Collection<Path> paths) {
    return paths.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
  }

  /**
   * Reads every jar of the test class path that is not one of ours as a module: explicit or
   * automatic; a jar the module system cannot read as a module (a bad automatic name) is skipped,
   * as no module here may need it. The first jar of a name wins, as on a class path.
   */
  private static Map<String, ModuleReference> thirdPartyOnClassPath() {
    Map<String, ModuleReference> byName = new LinkedHashMap<>();
    List<String> entries = new ArrayList<>(
        List.of(System.getProperty("java.class.path", "").split(Pattern.quote(File.pathSeparator), -1)));
    // Compile-time-only modules kept off the class path (the OSGi APIs), copied there by the build.
    String staticDir = System.getProperty("ably.jpms.static.dir");
    if (staticDir != null && Files.isDirectory(Path.of(staticDir))) {
      try (var jars = Files.list(Path.of(staticDir))) {
        jars.map(Path::toString).sorted().forEach(entries::add);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    for (String entry : entries) {
      if (!entry.endsWith(".jar")) {
        continue;
      }
      Path jar = Path.of(entry);
      if (!Files.isRegularFile(jar)) {
        continue;
      }
      List<ModuleReference> found;
      try {
        found = List.copyOf(ModuleFinder.of(jar).findAll());
      } catch (FindException e) {
        continue;
      }
      for (ModuleReference ref : found) {
        if (!ref.descriptor().name().startsWith("io.ably.")) {
          byName.putIfAbsent(ref.descriptor().name(), ref);
        }
      }
    }
    return byName;
  }
}
