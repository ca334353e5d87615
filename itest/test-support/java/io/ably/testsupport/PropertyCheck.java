package io.ably.testsupport;

import static org.quicktheories.QuickTheory.qt;

import java.nio.file.Path;
import java.util.function.Consumer;
import org.quicktheories.core.Configuration;
import org.quicktheories.core.Gen;
import org.quicktheories.core.Strategy;

/**
 * Runs a QuickTheories property inside a JUnit 5 test, so that every property of the build reports
 * the same way. It prints one line per property with the number of examples that passed and the
 * seed; when a property fails, the failure carries QuickTheories' report (the shrunk counterexample,
 * the other counterexamples found, the seed) and the command that replays it with that seed.
 *
 * <p>QuickTheories reads its settings from system properties, which Maven passes to the test JVM:
 * {@code -DQT_SEED=n} fixes the seed of every property of the run, {@code -DQT_EXAMPLES=n} raises the
 * number of examples of every property to at least {@code n}, {@code -DQT_SHRINKS=n} bounds the
 * shrinking.
 *
 * <p>This one source file is compiled into the tests of every module (see the parent POM).
 */
public final class PropertyCheck {
  private static final int MAX_ROUNDS = 5;

  private PropertyCheck() {}

  /**
   * Checks a property on generated values: it must return normally for each of them.
   *
   * <p>QuickTheories skips a value it has already tried in a run, so a run may try fewer distinct
   * values than asked. Further runs, with the seeds that follow, make up the difference (at most
   * {@value #MAX_ROUNDS} runs in all, for generators with few distinct values): each run is
   * reproducible on its own from the seed a failure reports.
   *
   * @param examples the number of distinct examples to try
   * @param values the generator
   * @param property the property, which fails by throwing (an assertion, or anything else)
   * @param <T> the type of the values
   */
  public static <T> void forAll(int examples, Gen<T> values, Consumer<T> property) {
    String test = callingTest();
    Strategy system = Configuration.systemStrategy(); // QT_SEED, QT_SHRINKS, QT_ATTEMPTS
    long seed = system.prng().getInitialSeed();
    int asked = Math.max(examples, Integer.getInteger(Configuration.EXAMPLES, 0));
    int[] runs = {0};
    int rounds = 0;
    while (runs[0] < asked && rounds < MAX_ROUNDS) {
      Strategy strategy =
          (rounds == 0 ? system : system.withFixedSeed(seed + rounds)).withExamples(asked - runs[0]);
      long roundSeed = seed + rounds;
      rounds++;
      try {
        qt(() -> strategy)
            .forAll(values)
            .checkAssert(
                value -> {
                  runs[0]++;
                  property.accept(value);
                });
      } catch (AssertionError falsified) {
        AssertionError e =
            new AssertionError(
                falsified.getMessage()
                    + System.lineSeparator()
                    + "Replay it with: "
                    + replayCommand(test, roundSeed));
        e.setStackTrace(falsified.getStackTrace());
        throw e;
      }
    }
    System.out.printf(
        "property %s: %d examples passed (%d asked), seed %d, %d run(s)%n",
        test, runs[0], asked, seed, rounds);
  }

  private static String replayCommand(String test, long seed) {
    Path module = Path.of(System.getProperty("basedir", "<module>")).getFileName();
    return "./mvnw -B -pl "
        + module
        + " -am test -Dsurefire.failIfNoSpecifiedTests=false -Dtest='"
        + test
        + "' -DQT_SEED="
        + seed;
  }

  /** The simple class name and method of the test that called {@link #forAll}. */
  private static String callingTest() {
    return StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE)
        .walk(
            frames ->
                frames
                    .filter(f -> f.getDeclaringClass() != PropertyCheck.class)
                    .findFirst()
                    .map(f -> f.getDeclaringClass().getSimpleName() + "#" + f.getMethodName())
                    .orElse("?"));
  }
}
