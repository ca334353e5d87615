package io.ably.itest.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import io.ably.itest.arch.samples.AtomicSample;
import io.ably.itest.arch.samples.BoundarySample;
import io.ably.itest.arch.samples.BoundedByNettySample;
import io.ably.itest.arch.samples.ConfinedSample;
import io.ably.itest.arch.samples.HidesNettySample;
import io.ably.itest.arch.samples.LockSample;
import io.ably.itest.arch.samples.PublicNettyFieldSample;
import io.ably.itest.arch.samples.ReturnsByteBufSample;
import io.ably.itest.arch.samples.SuppliesByteBufSample;
import io.ably.itest.arch.samples.SynchronizedBlockSample;
import io.ably.itest.arch.samples.SynchronizedMethodSample;
import io.ably.itest.arch.samples.TakesByteBufListSample;
import io.ably.itest.arch.samples.ThrowsNettyExceptionSample;
import io.ably.itest.arch.samples.VarHandleSample;
import io.ably.itest.arch.samples.VolatileFieldSample;
import io.ably.itest.arch.samples.WaitNotifySample;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Proves that every rule of {@link ArchitectureRules} can fail: each deliberately bad sample in
 * {@code io.ably.itest.arch.samples} is reported by exactly the rules it breaks, and the good
 * samples by none. The rules are the very ones {@link ArchitectureTest} applies to the modules,
 * pointed at the samples' package instead of the engine's and the API's.
 */
class ArchitectureRulesCatchViolationsTest {
  private static final String SAMPLES = "io.ably.itest.arch.samples";
  private static final Set<String> SAMPLE_BOUNDARY = Set.of(BoundarySample.class.getName());

  private static final String SYNCHRONIZED_METHODS = "synchronized methods";
  private static final String SYNCHRONIZED_BLOCKS = "synchronized blocks";
  private static final String WAIT_NOTIFY = "wait/notify";
  private static final String LOCKS = "locks";
  private static final String VOLATILE = "volatile fields";
  private static final String ATOMICS = "atomics";
  private static final String SIGNATURES = "published signatures";
  private static final String JDK_ONLY = "JDK-only dependencies";

  private static Map<String, ArchRule> rules() {
    Map<String, ArchRule> rules = new LinkedHashMap<>();
    rules.put(SYNCHRONIZED_METHODS, ArchitectureRules.noSynchronizedMethods(SAMPLES + ".."));
    rules.put(SYNCHRONIZED_BLOCKS, ArchitectureRules.noSynchronizedBlocks(SAMPLES + ".."));
    rules.put(WAIT_NOTIFY, ArchitectureRules.noWaitOrNotify(SAMPLES + ".."));
    rules.put(LOCKS, ArchitectureRules.noLocks(SAMPLES + ".."));
    rules.put(VOLATILE, ArchitectureRules.noVolatileFieldsOutside(SAMPLES + "..", SAMPLE_BOUNDARY));
    rules.put(ATOMICS, ArchitectureRules.noAtomicsOutside(SAMPLES + "..", SAMPLE_BOUNDARY));
    rules.put(
        SIGNATURES,
        ArchitectureRules.publishedSignaturesHideImplementationLibraries(Set.of(SAMPLES)));
    rules.put(JDK_ONLY, ArchitectureRules.dependOnlyOnTheJdk(SAMPLES + ".."));
    return rules;
  }

  static Stream<Arguments> samples() throws ClassNotFoundException {
    return Stream.of(
        Arguments.of(SynchronizedMethodSample.class, Set.of(SYNCHRONIZED_METHODS)),
        Arguments.of(SynchronizedBlockSample.class, Set.of(SYNCHRONIZED_BLOCKS)),
        Arguments.of(WaitNotifySample.class, Set.of(SYNCHRONIZED_METHODS, WAIT_NOTIFY)),
        Arguments.of(LockSample.class, Set.of(LOCKS)),
        Arguments.of(VolatileFieldSample.class, Set.of(VOLATILE)),
        Arguments.of(AtomicSample.class, Set.of(ATOMICS)),
        Arguments.of(VarHandleSample.class, Set.of(ATOMICS)),
        Arguments.of(BoundarySample.class, Set.of()),
        Arguments.of(ConfinedSample.class, Set.of()),
        Arguments.of(ReturnsByteBufSample.class, Set.of(SIGNATURES, JDK_ONLY)),
        Arguments.of(TakesByteBufListSample.class, Set.of(SIGNATURES, JDK_ONLY)),
        Arguments.of(BoundedByNettySample.class, Set.of(SIGNATURES, JDK_ONLY)),
        Arguments.of(PublicNettyFieldSample.class, Set.of(SIGNATURES, JDK_ONLY)),
        Arguments.of(SuppliesByteBufSample.class, Set.of(SIGNATURES, JDK_ONLY)),
        Arguments.of(ThrowsNettyExceptionSample.class, Set.of(SIGNATURES, JDK_ONLY)),
        Arguments.of(HidesNettySample.class, Set.of(JDK_ONLY)),
        Arguments.of(
            Class.forName(SAMPLES + ".PackagePrivateNettySample", false, loader()),
            Set.of(JDK_ONLY)));
  }

  private static ClassLoader loader() {
    return ArchitectureRulesCatchViolationsTest.class.getClassLoader();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("samples")
  void eachSampleIsReportedByExactlyTheRulesItBreaks(Class<?> sample, Set<String> expected) {
    JavaClasses imported = new ClassFileImporter().importClasses(sample);
    Set<String> violated = new TreeSet<>();
    StringBuilder reports = new StringBuilder();
    for (Map.Entry<String, ArchRule> rule : rules().entrySet()) {
      EvaluationResult result = rule.getValue().evaluate(imported);
      if (result.hasViolation()) {
        violated.add(rule.getKey());
        reports.append(result.getFailureReport()).append('\n');
      }
    }
    assertEquals(new TreeSet<>(expected), violated, reports::toString);
  }

  @Test
  void synchronizedBlockReportNamesTheMethodAndLine() {
    String report =
        reportOf(
            ArchitectureRules.noSynchronizedBlocks(SAMPLES + ".."), SynchronizedBlockSample.class);
    assertTrue(report.contains("SynchronizedBlockSample.next()I line "), report);
  }

  @Test
  void waitAndNotifyAllAreBothReported() {
    String report =
        reportOf(ArchitectureRules.noWaitOrNotify(SAMPLES + ".."), WaitNotifySample.class);
    assertTrue(report.contains("wait()"), report);
    assertTrue(report.contains("notifyAll()"), report);
  }

  @Test
  void signatureReportNamesTheLeakedTypeAndWhere() {
    String report =
        reportOf(
            ArchitectureRules.publishedSignaturesHideImplementationLibraries(Set.of(SAMPLES)),
            ThrowsNettyExceptionSample.class);
    assertTrue(report.contains("io.netty.util.IllegalReferenceCountException"), report);
    assertTrue(report.contains("throws clause"), report);
  }

  private static String reportOf(ArchRule rule, Class<?> sample) {
    EvaluationResult result = rule.evaluate(new ClassFileImporter().importClasses(sample));
    assertTrue(result.hasViolation(), () -> rule.getDescription() + " found nothing in " + sample);
    return result.getFailureReport().toString();
  }
}
