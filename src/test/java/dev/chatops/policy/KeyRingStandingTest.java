package dev.chatops.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chatops.store.ApiKeyRecord;
import dev.chatops.testing.TestClock;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@link KeyRing#standing}: whether a key that admitted something earlier is still good. */
class KeyRingStandingTest {

  private final TestClock clock = new TestClock();
  private final ApiKeys keys = new ApiKeys(new SecureRandom(), clock);

  private ApiKeyRecord record(String name, Optional<Duration> lifetime) {
    return ((NewKey) keys.create(name, List.of("*"), false, lifetime)).record();
  }

  @Test
  void aStoredKeyStandsUntilItIsRevokedOrExpires() {
    ApiKeyRecord ci = record("ci", Optional.empty());
    ApiKeyRecord brief = record("brief", Optional.of(Duration.ofHours(1)));
    ApiKeyRecord made = record("gone", Optional.empty());
    ApiKeyRecord gone =
        new ApiKeyRecord(
            made.name(),
            made.hash(),
            made.prefix(),
            made.intents(),
            made.dryRunOnly(),
            made.createdAt(),
            made.expiresAt(),
            Optional.of(clock.instant()));
    KeyRing ring = new KeyRing(List.of(ci, brief, gone));

    assertThat(ring.standing("ci", clock.instant())).isEmpty();
    assertThat(ring.standing("brief", clock.instant())).isEmpty();
    assertThat(ring.standing("brief", clock.instant().plus(Duration.ofHours(1))))
        .contains(Rejection.EXPIRED);
    assertThat(ring.standing("gone", clock.instant())).contains(Rejection.REVOKED);
    assertThat(ring.standing("never-made", clock.instant())).contains(Rejection.UNKNOWN);
  }
}
