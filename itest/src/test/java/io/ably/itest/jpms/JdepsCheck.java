package io.ably.itest.jpms;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.spi.ToolProvider;

/**
 * Runs the JDK's {@code jdeps --check} (through {@link ToolProvider}, in the test JVM) over
 * modules and reads its report: for each module, the {@code requires} its descriptor declares, the
 * ones jdeps suggests from what the classes actually use, and the qualified exports no target
 * module uses.
 */
final class JdepsCheck {
  /** What jdeps says about one module. */
  record Report(
      String module,
      Set<String> declared,
      Set<String> declaredStatic,
      Set<String> suggested,
      List<String> unusedQualifiedExports) {

    /** Non-static requires that no class of the module needs. */
    Set<String> unusedRequires() {
      Set<String> unused = new TreeSet<>(declared);
      unused.removeAll(declaredStatic);
      unused.removeAll(suggested);
      return unused;
    }
  }

  /** The whole run: the exit code, the raw output, and one report per checked module. */
  record Run(int exitCode, String output, Map<String, Report> reports) {}

  private JdepsCheck() {}

  static Run run(Collection<Path> modulePath, Collection<String> modules) {
    ToolProvider jdeps =
        ToolProvider.findFirst("jdeps")
            .orElseThrow(() -> new IllegalStateException("this JDK has no jdeps tool"));
    StringWriter out = new StringWriter();
    int exitCode;
    try (PrintWriter writer = new PrintWriter(out)) {
      exitCode =
          jdeps.run(
              writer,
              writer,
              "--multi-release", String.valueOf(Runtime.version().feature()),
              "--module-path", ModulePath.join(modulePath),
              "--check", String.join(",", modules));
    }
    String output = out.toString();
    return new Run(exitCode, output, parse(output));
  }

  /**
   * Reads jdeps' report: a line {@code name (location)} opens a module, a line {@code [Section]}
   * (indented once) opens a section, and its items are indented twice.
   */
  static Map<String, Report> parse(String output) {
    Map<String, Map<String, List<String>>> sections = new LinkedHashMap<>();
    Map<String, List<String>> current = null;
    List<String> items = null;
    for (String line : output.split("\\R")) {
      if (line.isBlank()) {
        continue;
      }
      String trimmed = line.trim();
      if (!Character.isWhitespace(line.charAt(0))) {
        int space = trimmed.indexOf(' ');
        current = new LinkedHashMap<>();
        sections.put(space < 0 ? trimmed : trimmed.substring(0, space), current);
        items = null;
      } else if (trimmed.startsWith("[") && trimmed.endsWith("]") && current != null) {
        String title = trimmed.substring(1, trimmed.length() - 1);
        for (String suffix : List.of(" for ", " in ")) {
          int at = title.indexOf(suffix);
          if (at > 0) {
            title = title.substring(0, at);
          }
        }
        items = new ArrayList<>();
        current.put(title, items);
      } else if (items != null) {
        items.add(trimmed);
      }
    }
    Map<String, Report> reports = new LinkedHashMap<>();
    sections.forEach(
        (module, bySection) -> {
          Set<String> declared = new TreeSet<>();
          Set<String> declaredStatic = new TreeSet<>();
          for (String item : bySection.getOrDefault("Module descriptor", List.of())) {
            List<String> words = requiresWords(item);
            if (!words.isEmpty()) {
              String name = words.get(words.size() - 1);
              declared.add(name);
              if (words.contains("static")) {
                declaredStatic.add(name);
              }
            }
          }
          Set<String> suggested = new TreeSet<>();
          for (String item : bySection.getOrDefault("Suggested module descriptor", List.of())) {
            List<String> words = requiresWords(item);
            if (!words.isEmpty()) {
              suggested.add(words.get(words.size() - 1));
            }
          }
          if (!bySection.containsKey("Module descriptor")
              || !bySection.containsKey("Suggested module descriptor")) {
            return; // not a module report
          }
          reports.put(
              module,
              new Report(
                  module,
                  declared,
                  declaredStatic,
                  suggested,
                  List.copyOf(
                      bySection.getOrDefault("Unused qualified exports", List.of()))));
        });
    return reports;
  }

  /** {@code requires static foo (@1.0);} gives {@code [static, foo]}; anything else nothing. */
  private static List<String> requiresWords(String item) {
    if (!item.startsWith("requires ")) {
      return List.of();
    }
    String body = item.substring("requires ".length()).replaceAll("\\(@[^)]*\\)", "");
    body = body.replace(";", "").trim();
    return List.of(body.split("\\s+"));
  }

  /**
   * Returns the modules a module reads at compile time: java.base, everything it requires, and
   * everything those require transitively ({@code requires transitive}, implied readability).
   */
  static Set<String> readableFrom(String module, Collection<Path> modulePath) {
    ModuleFinder finder =
        ModuleFinder.compose(
            ModuleFinder.of(modulePath.toArray(Path[]::new)), ModuleFinder.ofSystem());
    Set<String> readable = new TreeSet<>(Set.of("java.base"));
    Deque<String> todo = new ArrayDeque<>();
    descriptor(finder, module).requires().forEach(r -> todo.add(r.name()));
    while (!todo.isEmpty()) {
      String name = todo.pop();
      if (!readable.add(name)) {
        continue;
      }
      finder
          .find(name)
          .map(ModuleReference::descriptor)
          .ifPresent(
              d ->
                  d.requires().stream()
                      .filter(
                          r ->
                              r.modifiers()
                                  .contains(ModuleDescriptor.Requires.Modifier.TRANSITIVE))
                      .forEach(r -> todo.add(r.name())));
    }
    return readable;
  }

  private static ModuleDescriptor descriptor(ModuleFinder finder, String module) {
    return finder
        .find(module)
        .orElseThrow(() -> new IllegalStateException(module + " is not on the module path"))
        .descriptor();
  }
}
