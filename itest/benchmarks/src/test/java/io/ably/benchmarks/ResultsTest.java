package io.ably.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** The merge of a subject's repetitions: medians, the range in the note, failed repetitions left out. */
class ResultsTest {

  private static Histogram constant(long micros) {
    Histogram h = new Histogram(Workloads.MAX_LATENCY_NANOS, 3);
    h.recordValueWithCount(micros * 1_000, 100);
    return h;
  }

  private static Results run(long p99Micros, double acked, double cpuReceived, String note) {
    Results r = new Results();
    r.latency.add(new Results.Latency("ours-default", "ours", 1_000, 100, constant(p99Micros), 100, 0, note));
    r.throughput.add(new Results.Throughput("ours-default", "ours", acked, 4, acked * 2, note));
    r.cost.add(new Results.Cost("ours-default", "ours", 100, 200, 3_000, cpuReceived, 4, 1_024, note));
    return r;
  }

  @Test
  void theMedianOfThreeRepetitionsIsTheMiddleFigureAndTheNoteGivesTheRange() {
    Results high = run(900, 30_000, 1_500, "");
    Results mid = run(500, 20_000, 1_200, "");
    Results low = run(100, 10_000, 1_000, "");
    Results m = Results.median(List.of(high, low, mid));
    assertSame(mid.latency.get(0).histogram(), m.latency.get(0).histogram(), "the repetition with the median p99");
    assertEquals("median of 3; p99 µs 100–900", m.latency.get(0).note());
    assertEquals(20_000, m.throughput.get(0).ackedPerSecond());
    assertEquals(40_000, m.throughput.get(0).fanOutDeliveriesPerSecond());
    assertEquals("median of 3; acked/s 10,000–30,000", m.throughput.get(0).note());
    assertEquals(1_200, m.cost.get(0).cpuNanosPerReceived());
    assertEquals("median of 3; CPU ns/received 1,000–1,500", m.cost.get(0).note());
  }

  @Test
  void aFailedRepetitionIsLeftOutAndSaidAndAllFailedKeepsTheFailure() {
    Results m = Results.median(List.of(run(900, 30_000, 1_500, ""), run(0, 0, 0, "failed: x"), run(100, 10_000, 1_000, "")));
    assertEquals(20_000, m.throughput.get(0).ackedPerSecond(), "the median of the two that completed");
    assertEquals("median of 2, 1 did not complete; acked/s 10,000–30,000", m.throughput.get(0).note());
    Results failed = Results.median(List.of(run(0, 0, 0, "failed: x"), run(0, 0, 0, "failed: y")));
    assertEquals("failed: x", failed.cost.get(0).note());
    assertEquals("failed: x", failed.latency.get(0).note());
  }

  @Test
  void oneRepetitionIsKeptAsItIs() {
    Results one = run(500, 20_000, 1_200, "");
    Results m = Results.median(List.of(one));
    assertEquals(one.cost, m.cost);
    assertEquals(one.throughput, m.throughput);
    assertEquals("", m.latency.get(0).note());
  }
}
