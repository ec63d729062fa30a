package dev.chatops.testing;

import java.util.Random;
import java.util.function.Function;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * Generated test inputs for property-style tests: many cases from a fixed seed, so a failure always
 * reproduces and names the case (its arguments) that broke.
 */
public final class Samples {

  private Samples() {}

  /** {@code tries} argument lists, each made by {@code sample} from one seeded random source. */
  public static Stream<Arguments> of(int tries, long seed, Function<Random, Object[]> sample) {
    Random random = new Random(seed);
    return IntStream.range(0, tries).mapToObj(i -> Arguments.of(sample.apply(random)));
  }

  /** A string of up to {@code maxLength} characters drawn from {@code alphabet}. */
  public static String string(Random random, String alphabet, int maxLength) {
    int length = random.nextInt(maxLength + 1);
    StringBuilder out = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      out.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return out.toString();
  }

  /** {@code length} random bytes. */
  public static byte[] bytes(Random random, int length) {
    byte[] bytes = new byte[length];
    random.nextBytes(bytes);
    return bytes;
  }
}
