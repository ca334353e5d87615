package io.ably.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The pauses read from a subject's GC and safepoint log, as JDK 17 and JDK 25 write it. */
class GcLogTest {
  private static final List<String> LOG =
      List.of(
          "[0.778s][1000ms][info][gc] Using G1",
          "[0.778s][1100ms][info][gc] GC(0) Pause Young (Normal) (G1 Evacuation Pause) 12M->4M(256M) 11.490ms",
          "[0.782s][1100ms][info][safepoint] Safepoint \"G1CollectForAllocation\", Time since last: 705038143 ns,"
              + " Reaching safepoint: 4468 ns, Cleanup: 356236 ns, At safepoint: 15447378 ns, Total: 15808082 ns",
          "[0.863s][2000ms][info][gc       ] GC(1) Pause Young (Normal) (G1 Evacuation Pause) 14M->5M(256M) 2.264ms",
          "[0.900s][2500ms][info][gc       ] GC(2) Pause Remark 20M->20M(256M) 0.911ms",
          "[1.107s][2600ms][info][safepoint] Safepoint \"Cleanup\", Time since last: 644737923 ns, Reaching"
              + " safepoint: 6312 ns, At safepoint: 34000508 ns, Leaving safepoint: 7864 ns, Total: 34014684 ns,"
              + " Threads: 0 runnable, 10 total",
          "[1.200s][3100ms][info][gc       ] GC(3) Pause Young (Normal) (G1 Evacuation Pause) 14M->5M(256M) 99.000ms");

  @Test
  void everyGcPauseAndSafepointIsReadWithWhenItEnded() {
    List<GcLog.Pause> pauses = GcLog.parse(LOG);
    assertEquals(
        List.of(
            new GcLog.Pause(1100, true, 11_490),
            new GcLog.Pause(1100, false, 15_808),
            new GcLog.Pause(2000, true, 2_264),
            new GcLog.Pause(2500, true, 911),
            new GcLog.Pause(2600, false, 34_014),
            new GcLog.Pause(3100, true, 99_000)),
        pauses);
  }

  @Test
  void aCaseGetsOnlyThePausesThatEndedInItsWindow() {
    Results.Pauses p = GcLog.in(Results.Pauses.window(1500, 3000), GcLog.parse(LOG));
    assertEquals(new Results.Pauses(1500, 3000, 2, 2_264, 34_014), p);
  }

  @Test
  void theServersGcPausesInTheWindowAreSetBesideTheClients() {
    Results.Pauses p = GcLog.server(GcLog.in(Results.Pauses.window(1500, 3000), GcLog.parse(LOG)), GcLog.parse(LOG));
    assertEquals(new Results.Pauses(1500, 3000, 2, 2_264, 34_014, 2, 34_014), p);
  }

  @Test
  void aCaseWithoutAWindowStaysUnknown() {
    Results.Pauses p = GcLog.in(Results.Pauses.NONE, GcLog.parse(LOG));
    assertEquals(Results.Pauses.NONE, p);
  }
}
