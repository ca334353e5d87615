package io.ably.api.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.strings;

import io.ably.testsupport.PropertyCheck;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/** Properties of canonical capability JSON (RSA9f), over generated capabilities (QuickTheories). */
class CapabilityProperties {
  private static final List<String> OPS =
      List.of("publish", "subscribe", "presence", "history", "stats", "*", "channel-metadata");

  /** Resources (any text, including quotes, backslashes and control characters) to operations. */
  private static Gen<Map<String, List<String>>> grants() {
    Gen<String> resource = strings().allPossible().ofLengthBetween(1, 12);
    Gen<List<String>> ops =
        lists().of(org.quicktheories.generators.SourceDSL.integers().between(0, OPS.size() - 1).map(OPS::get))
            .ofSizeBetween(1, 5);
    return lists().of(resource.zip(ops, Map::entry)).ofSizeBetween(1, 6).map(
        entries -> {
          Map<String, List<String>> m = new LinkedHashMap<>();
          entries.forEach(e -> m.put(e.getKey(), e.getValue()));
          return m;
        });
  }

  @Test
  void theCanonicalFormDoesNotDependOnTheOrderOfResourcesOrOperations() {
    PropertyCheck.forAll(
        500,
        grants(),
        grants -> {
          List<Map.Entry<String, List<String>>> entries = new ArrayList<>(grants.entrySet());
          Random shuffle = new Random(grants.hashCode());
          Collections.shuffle(entries, shuffle);
          Map<String, List<String>> reordered = new LinkedHashMap<>();
          for (Map.Entry<String, List<String>> e : entries) {
            List<String> ops = new ArrayList<>(e.getValue());
            Collections.shuffle(ops, shuffle);
            ops.add(ops.get(0)); // a duplicate operation changes nothing
            reordered.put(e.getKey(), ops);
          }
          assertEquals(Capability.of(grants), Capability.of(reordered));
        });
  }

  @Test
  void theCanonicalFormReadsBackAsTheSameGrantsAndIsAFixedPoint() {
    PropertyCheck.forAll(
        500,
        grants(),
        grants -> {
          String json = Capability.of(grants);
          assertEquals(json, Capability.canonical(json));
          Map<String, Object> read = AuthJson.object(json, "capability");
          Map<String, TreeSet<String>> expected = new TreeMap<>();
          grants.forEach((k, v) -> expected.put(k, new TreeSet<>(v)));
          Map<String, TreeSet<String>> actual = new TreeMap<>();
          read.forEach((k, v) -> {
            List<String> ops = new ArrayList<>();
            for (Object o : (List<?>) v) {
              ops.add((String) o);
            }
            assertEquals(new ArrayList<>(new TreeSet<>(ops)), ops, "operations sorted, no duplicates");
            actual.put(k, new TreeSet<>(ops));
          });
          assertEquals(expected, actual);
          assertEquals(new ArrayList<>(new TreeSet<>(read.keySet())), new ArrayList<>(read.keySet()), "resources sorted");
        });
  }
}
