package dev.chatops.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chatops.store.ApiKeyRecord;
import dev.chatops.testing.TestClock;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeyRingTest {

  private final TestClock clock = new TestClock();
  private final ApiKeys keys = new ApiKeys(new SecureRandom(), clock);

  private NewKey create(String name, List<String> intents, boolean dryRunOnly, Duration expiry) {
    return (NewKey) keys.create(name, intents, dryRunOnly, Optional.ofNullable(expiry));
  }

  @Test
  void aKnownKeyAuthenticatesAsItsNameScopeAndDryRunFlag() {
    NewKey ci = create("ci", List.of("rollout-*"), true, null);
    NewKey other = create("other", List.of(), false, null);
    KeyRing ring = new KeyRing(List.of(other.record(), ci.record()));

    Optional<Principal> principal = ring.authenticate(ci.key(), clock.instant());

    assertThat(principal).contains(new Principal("ci", List.of("rollout-*"), true));
    assertThat(ring.check(ci.key(), clock.instant()))
        .isEqualTo(new Authentication.Accepted(new Principal("ci", List.of("rollout-*"), true)));
  }

  @Test
  void aKeyAuthenticatesWithItsApprovalScope() {
    NewKey bob =
        (NewKey) keys.create("bob", List.of(), List.of("rollout-*"), false, true, Optional.empty());
    KeyRing ring = new KeyRing(List.of(bob.record()));

    Principal principal = ring.authenticate(bob.key(), clock.instant()).orElseThrow();

    assertThat(principal)
        .isEqualTo(new Principal("bob", List.of(), List.of("rollout-*"), false, true));
    assertThat(principal.mayApprove("rollout-web")).isTrue();
    assertThat(principal.mayApprove("backup")).isFalse();
    assertThat(principal.mayTrigger("rollout-web")).isFalse();
  }

  @Test
  void aWellFormedKeyThatIsNotStoredIsUnknown() {
    KeyRing ring = new KeyRing(List.of(create("ci", List.of(), false, null).record()));

    assertThat(ring.check(keys.generate(), clock.instant()))
        .isEqualTo(new Authentication.Rejected(Rejection.UNKNOWN, Optional.empty()));
    assertThat(KeyRing.empty().authenticate(keys.generate(), clock.instant())).isEmpty();
  }

  @Test
  void aRevokedKeyIsRejectedAndNamedForTheAudit() {
    NewKey ci = create("ci", List.of(), false, null);
    KeyRing ring = new KeyRing(List.of(revoked(ci.record(), clock.instant())));

    assertThat(ring.check(ci.key(), clock.instant()))
        .isEqualTo(new Authentication.Rejected(Rejection.REVOKED, Optional.of("ci")));
    assertThat(ring.authenticate(ci.key(), clock.instant())).isEmpty();
  }

  @Test
  void aKeyIsValidUpToButNotAtItsExpiry() {
    NewKey ci = create("ci", List.of(), false, Duration.ofHours(1));
    KeyRing ring = new KeyRing(List.of(ci.record()));
    Instant expiry = clock.instant().plus(Duration.ofHours(1));

    assertThat(ring.authenticate(ci.key(), expiry.minusNanos(1))).isPresent();
    assertThat(ring.check(ci.key(), expiry))
        .isEqualTo(new Authentication.Rejected(Rejection.EXPIRED, Optional.of("ci")));
    assertThat(ring.check(ci.key(), expiry.plus(Duration.ofDays(1))))
        .isEqualTo(new Authentication.Rejected(Rejection.EXPIRED, Optional.of("ci")));
  }

  @Test
  void revocationWinsOverExpiry() {
    NewKey ci = create("ci", List.of(), false, Duration.ofSeconds(1));
    KeyRing ring = new KeyRing(List.of(revoked(ci.record(), clock.instant())));

    assertThat(ring.check(ci.key(), clock.instant().plus(Duration.ofDays(1))))
        .isEqualTo(new Authentication.Rejected(Rejection.REVOKED, Optional.of("ci")));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "chk_",
        "not-a-key",
        "Bearer chk_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8",
        "chk_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh9",
        "chk_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8\n"
      })
  void textsShapedUnlikeAKeyAreMalformed(String presented) {
    KeyRing ring = new KeyRing(List.of(create("ci", List.of(), false, null).record()));

    assertThat(ring.check(presented, clock.instant()))
        .isEqualTo(new Authentication.Rejected(Rejection.MALFORMED, Optional.empty()));
  }

  @Test
  void theShapeIsCheckedBeforeTheHashIsLookedUp() {
    ApiKeyRecord oddOne =
        new ApiKeyRecord(
            "odd",
            ApiKeys.hash("not-a-key"),
            "not-a-key",
            List.of("*"),
            false,
            clock.instant(),
            Optional.empty(),
            Optional.empty());
    KeyRing ring = new KeyRing(List.of(oddOne));

    assertThat(ring.check("not-a-key", clock.instant()))
        .isEqualTo(new Authentication.Rejected(Rejection.MALFORMED, Optional.empty()));
  }

  @Test
  void noOutcomeEverContainsThePresentedKey() {
    NewKey ci = create("ci", List.of(), false, null);
    KeyRing ring = new KeyRing(List.of(ci.record()));
    String unknown = keys.generate();

    assertThat(ring.check(ci.key(), clock.instant()).toString()).doesNotContain(ci.key());
    assertThat(ring.check(unknown, clock.instant()).toString())
        .doesNotContain(unknown)
        .doesNotContain(ApiKeys.prefix(unknown));
    assertThat(ring.toString()).doesNotContain(ci.record().hash());
  }

  @ParameterizedTest
  @ValueSource(strings = {"ABC", "", "not-a-sha256"})
  void aStoredHashThatIsNotSha256HexIsLeftOutAndTheOtherKeysStillCount(String hash) {
    NewKey ci = create("ci", List.of(), false, null);
    NewKey gone = create("gone", List.of(), false, null);
    ApiKeyRecord corrupt =
        new ApiKeyRecord(
            "broken",
            hash,
            "chk_AAAAAAAA",
            List.of("*"),
            false,
            clock.instant(),
            Optional.empty(),
            Optional.empty());

    KeyRing ring =
        new KeyRing(List.of(ci.record(), corrupt, revoked(gone.record(), clock.instant())));

    assertThat(ring.untrusted()).containsExactly("broken");
    assertThat(ring.size()).isEqualTo(2);
    assertThat(ring.authenticate(ci.key(), clock.instant())).isPresent();
    assertThat(ring.check(gone.key(), clock.instant()))
        .isEqualTo(new Authentication.Rejected(Rejection.REVOKED, Optional.of("gone")));
  }

  @Test
  void aRingOfTrustedRecordsListsNoneUntrusted() {
    assertThat(new KeyRing(List.of(create("ci", List.of(), false, null).record())).untrusted())
        .isEmpty();
  }

  @Test
  void rejectionsReadAsTheAuditTrailWritesThem() {
    assertThat(List.of(Rejection.values()))
        .extracting(Rejection::reason)
        .containsExactly("malformed key", "unknown key", "revoked key", "expired key");
  }

  private static ApiKeyRecord revoked(ApiKeyRecord record, Instant at) {
    return new ApiKeyRecord(
        record.name(),
        record.hash(),
        record.prefix(),
        record.intents(),
        record.dryRunOnly(),
        record.createdAt(),
        record.expiresAt(),
        Optional.of(at));
  }
}
