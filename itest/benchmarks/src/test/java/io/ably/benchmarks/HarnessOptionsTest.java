package io.ably.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The harness's command line. */
class HarnessOptionsTest {
  private static Harness.Options parse(String... args) {
    return Harness.Options.parse(args, Path.of("out"), null);
  }

  @Test
  void byDefaultTheLatencyRatesAre1000AndTheOneTheRateSearchFinds() {
    Harness.Options o = parse();
    assertEquals(List.of(1_000), o.rates());
    assertTrue(o.searchRate());
    assertEquals(3, o.repetitions());
  }

  @Test
  void explicitRatesReplaceTheSearchUnlessTheyNameIt() {
    Harness.Options fixed = parse("--rates", "500,2000");
    assertEquals(List.of(500, 2_000), fixed.rates());
    assertFalse(fixed.searchRate());
    Harness.Options both = parse("--rates", "1000,search");
    assertEquals(List.of(1_000), both.rates());
    assertTrue(both.searchRate());
    Harness.Options only = parse("--rates", "search");
    assertEquals(List.of(), only.rates());
    assertTrue(only.searchRate());
  }

  @Test
  void theRatesGivenAfterTheHarnessOptionsOverrideThem() {
    // what a subject's JVM gets: the harness's options, then the rates the search found
    Harness.Options child = parse("--quick", "--rates", "1000,7000");
    assertEquals(List.of(1_000, 7_000), child.rates());
    assertFalse(child.searchRate());
  }
}
