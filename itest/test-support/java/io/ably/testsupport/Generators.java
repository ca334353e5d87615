package io.ably.testsupport;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.quicktheories.core.Gen;
import org.quicktheories.core.RandomnessSource;
import org.quicktheories.generators.Generate;

/**
 * Combinators the QuickTheories DSL lacks, written so that values shrink towards the simple case:
 * a null, an absent field, an empty collection.
 */
public final class Generators {
  private static final Gen<Integer> PERCENT = Generate.range(0, 99);

  private Generators() {}

  /**
   * Values of a generator, or null.
   *
   * @param percentNull how often null comes, in percent
   * @param values the generator of the other values
   * @param <T> the type
   * @return the generator
   */
  public static <T> Gen<T> orNull(int percentNull, Gen<T> values) {
    return in -> PERCENT.generate(in) < percentNull ? null : values.generate(in);
  }

  /**
   * Whether to include something, true with the given probability; shrinks to false.
   *
   * @param in the randomness to draw from
   * @param percent the probability of true, in percent
   * @return the decision
   */
  public static boolean sometimes(RandomnessSource in, int percent) {
    return PERCENT.generate(in) >= 100 - percent;
  }

  /**
   * Lists of up to {@code maxSize} elements.
   *
   * @param elements the elements
   * @param minSize the smallest size
   * @param maxSize the largest size
   * @param <T> the element type
   * @return the generator of mutable lists
   */
  public static <T> Gen<List<T>> lists(Gen<T> elements, int minSize, int maxSize) {
    Gen<Integer> sizes = Generate.range(minSize, maxSize);
    return in -> {
      int n = sizes.generate(in);
      List<T> list = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        list.add(elements.generate(in));
      }
      return list;
    };
  }

  /**
   * Maps in insertion order of up to {@code maxSize} entries (fewer when a key repeats).
   *
   * @param keys the keys
   * @param values the values
   * @param maxSize the largest size
   * @param <K> the key type
   * @param <V> the value type
   * @return the generator
   */
  public static <K, V> Gen<Map<K, V>> maps(Gen<K> keys, Gen<V> values, int maxSize) {
    Gen<Integer> sizes = Generate.range(0, maxSize);
    return in -> {
      int n = sizes.generate(in);
      Map<K, V> map = new LinkedHashMap<>();
      for (int i = 0; i < n; i++) {
        map.put(keys.generate(in), values.generate(in));
      }
      return map;
    };
  }

  /**
   * Strings of characters drawn from a generator.
   *
   * @param chars the characters
   * @param maxLength the longest length
   * @return the generator
   */
  public static Gen<String> strings(Gen<Character> chars, int maxLength) {
    return lists(chars, 0, maxLength)
        .map(
            cs -> {
              StringBuilder b = new StringBuilder(cs.size());
              cs.forEach(b::append);
              return b.toString();
            });
  }
}
