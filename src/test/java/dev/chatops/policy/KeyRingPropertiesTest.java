package dev.chatops.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chatops.testing.Samples;
import dev.chatops.testing.TestClock;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class KeyRingPropertiesTest {

  private static final String BASE64URL =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

  private final TestClock clock = new TestClock();
  private final ApiKeys keys = new ApiKeys(new SecureRandom(), clock);

  static Stream<Arguments> counts() {
    return Samples.of(50, 40, random -> new Object[] {1 + random.nextInt(40)});
  }

  static Stream<Arguments> changes() {
    return Samples.of(
        300,
        47,
        random ->
            new Object[] {
              random.nextInt(47), BASE64URL.charAt(random.nextInt(BASE64URL.length()))
            });
  }

  @ParameterizedTest
  @MethodSource("counts")
  void noGeneratedKeyEverAuthenticatesAsAnother(int count) {
    List<NewKey> created = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      created.add((NewKey) keys.create("key-" + i, List.of(), false, Optional.empty()));
    }
    KeyRing ring = new KeyRing(created.stream().map(NewKey::record).toList());

    for (NewKey key : created) {
      assertThat(ring.authenticate(key.key(), clock.instant()))
          .map(Principal::name)
          .contains(key.record().name());
    }
    assertThat(ring.check(keys.generate(), clock.instant()))
        .isEqualTo(new Authentication.Rejected(Rejection.UNKNOWN, Optional.empty()));
  }

  @ParameterizedTest
  @MethodSource("changes")
  void changingAnyOneCharacterOfAKeyNeverAuthenticates(int position, char replacement) {
    NewKey ci = (NewKey) keys.create("ci", List.of(), false, Optional.empty());
    KeyRing ring = new KeyRing(List.of(ci.record()));
    char[] changed = ci.key().toCharArray();
    if (changed[position] == replacement) {
      return;
    }
    changed[position] = replacement;

    assertThat(ring.authenticate(new String(changed), clock.instant())).isEmpty();
  }
}
