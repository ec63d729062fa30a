package dev.chatops.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class KeyRingPropertiesTest {

  private static final String BASE64URL =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

  private final ManualClock clock = new ManualClock();
  private final ApiKeys keys = new ApiKeys(new SecureRandom(), clock);

  @Property(tries = 50)
  void noGeneratedKeyEverAuthenticatesAsAnother(@ForAll @IntRange(min = 1, max = 40) int count) {
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

  @Property(tries = 300)
  void changingAnyOneCharacterOfAKeyNeverAuthenticates(
      @ForAll @IntRange(min = 0, max = 46) int position, @ForAll("base64url") char replacement) {
    NewKey ci = (NewKey) keys.create("ci", List.of(), false, Optional.empty());
    KeyRing ring = new KeyRing(List.of(ci.record()));
    char[] changed = ci.key().toCharArray();
    if (changed[position] == replacement) {
      return;
    }
    changed[position] = replacement;

    assertThat(ring.authenticate(new String(changed), clock.instant())).isEmpty();
  }

  @Provide
  Arbitrary<Character> base64url() {
    return Arbitraries.of(BASE64URL.chars().mapToObj(c -> (char) c).toList());
  }
}
