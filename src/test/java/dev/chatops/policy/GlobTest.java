package dev.chatops.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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

  @Property(tries = 2000)
  void matchingAgreesWithTheEquivalentRegularExpression(
      @ForAll("globs") String glob, @ForAll("names") String name) {
    assertThat(Glob.matches(glob, name)).isEqualTo(regex(glob).matcher(name).matches());
  }

  @Property(tries = 500)
  void aGlobWithoutWildcardsMatchesOnlyItself(
      @ForAll("names") String glob, @ForAll("names") String name) {
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

  @Provide
  Arbitrary<String> globs() {
    return Arbitraries.strings().withChars("ab-*?").ofMaxLength(8);
  }

  @Provide
  Arbitrary<String> names() {
    return Arbitraries.strings().withChars("ab-").ofMaxLength(10);
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
