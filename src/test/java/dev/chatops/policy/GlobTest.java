package dev.chatops.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chatops.testing.Samples;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class GlobTest {

  @ParameterizedTest(name = "{0} ~ {1} = {2}")
  @CsvSource({
    "*, scale-stack-ai, true",
    "*, '', true",
    "scale-stack-ai, scale-stack-ai, true",
    "scale-stack-ai, scale-stack-a, false",
    "scale-stack-ai, scale-stack-aix, false",
    "scale-*, scale-stack-ai, true",
    "scale-*, scale-, true",
    "scale-*, rollout-stack-ai, false",
    "*-ai, scale-stack-ai, true",
    "*-ai, scale-stack-aix, false",
    "*stack*, rollout-stack-media, true",
    "*stack*, rollout-media, false",
    "rollout-stack-?, rollout-stack-a, true",
    "rollout-stack-?, rollout-stack-, false",
    "rollout-stack-?, rollout-stack-ai, false",
    "??, ab, true",
    "??, a, false",
    "a*b*c, abbbc, true",
    "a*b*c, acb, false",
    "a**c, ac, true",
    "*a*a*a*a*a*b, aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa, false"
  })
  void globsMatchWholeIntentNames(String glob, String name, boolean matches) {
    assertThat(Glob.matches(glob, name)).isEqualTo(matches);
  }

  static Stream<Arguments> globsAndNames() {
    return Samples.of(
        2000,
        7,
        random ->
            new Object[] {Samples.string(random, "ab-*?", 8), Samples.string(random, "ab-", 10)});
  }

  static Stream<Arguments> namesAndNames() {
    return Samples.of(
        500,
        11,
        random ->
            new Object[] {Samples.string(random, "ab-", 10), Samples.string(random, "ab-", 10)});
  }

  @ParameterizedTest
  @MethodSource("globsAndNames")
  void matchingAgreesWithTheEquivalentRegularExpression(String glob, String name) {
    assertThat(Glob.matches(glob, name)).isEqualTo(regex(glob).matcher(name).matches());
  }

  @ParameterizedTest
  @MethodSource("namesAndNames")
  void aGlobWithoutWildcardsMatchesOnlyItself(String glob, String name) {
    assertThat(Glob.matches(glob, name)).isEqualTo(glob.equals(name));
  }

  @Test
  void principalsMayTriggerWhatAnyOfTheirGlobsMatch() {
    Principal ci = new Principal("ci", List.of("rollout-*", "backup-vm-105"), false);

    assertThat(ci.mayTrigger("rollout-stack-ai")).isTrue();
    assertThat(ci.mayTrigger("backup-vm-105")).isTrue();
    assertThat(ci.mayTrigger("backup-vm-106")).isFalse();
    assertThat(ci.mayTrigger("scale-stack-ai")).isFalse();
    assertThat(new Principal("nobody", List.of(), false).mayTrigger("rollout-x")).isFalse();
    assertThat(new Principal("all", List.of("*"), true).mayTrigger("rollout-x")).isTrue();
  }

  private static Pattern regex(String glob) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      switch (c) {
        case '*' -> out.append(".*");
        case '?' -> out.append('.');
        default -> out.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(out.toString());
  }
}
