package dev.chatops.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chatops.store.ApiKeyRecord;
import dev.chatops.testing.TestClock;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ApiKeysTest {

  private final TestClock clock = new TestClock();
  private final ApiKeys keys = new ApiKeys(new SecureRandom(), clock);

  @Test
  void generatedKeysAreChkAndFortyThreeBase64urlCharacters() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      String key = keys.generate();

      assertThat(key).hasSize(47).matches("chk_[A-Za-z0-9_-]{43}");
      assertThat(ApiKeys.isWellFormed(key)).isTrue();
      seen.add(key);
    }
    assertThat(seen).hasSize(200);
  }

  @Test
  void keysEncodeThirtyTwoRandomBytesAsUnpaddedBase64url() {
    byte[] counting = new byte[32];
    for (int i = 0; i < counting.length; i++) {
      counting[i] = (byte) i;
    }

    assertThat(new ApiKeys(new FixedRandom(counting), clock).generate())
        .isEqualTo("chk_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8");
    assertThat(new ApiKeys(new FixedRandom(new byte[] {0}), clock).generate())
        .isEqualTo("chk_" + "A".repeat(43));
    assertThat(new ApiKeys(new FixedRandom(new byte[] {(byte) 0xff}), clock).generate())
        .isEqualTo("chk_" + "_".repeat(42) + "8");
  }

  @Test
  void hashIsTheLowerCaseHexSha256OfTheWholeKey() {
    assertThat(ApiKeys.hash("abc"))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assertThat(ApiKeys.hash(keys.generate())).matches("[0-9a-f]{64}");
  }

  @Test
  void prefixIsTheFirstTwelveCharacters() {
    assertThat(ApiKeys.prefix("chk_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8"))
        .isEqualTo("chk_AAECAwQF");
    assertThat(ApiKeys.prefix("short")).isEqualTo("short");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "chk_",
        "chk_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh", // 46 characters in all
        "chk_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8A", // 48 characters in all
        "CHK_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8",
        "key_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8",
        "chk_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh9", // last character has low bits set
        "chk_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdH+8", // standard base64, not url
        "chk_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdH=8",
        "chk_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdH 8",
        "chk_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHé8",
        " chk_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8"
      })
  void textsThatNoGeneratedKeyCouldBeAreNotWellFormed(String text) {
    assertThat(ApiKeys.isWellFormed(text)).isFalse();
  }

  @Test
  void createdKeyRecordsTheHashPrefixScopeAndTimes() {
    KeyCreation created =
        keys.create("ci.deploy", List.of("rollout-*"), true, Optional.of(Duration.ofDays(30)));

    assertThat(created).isInstanceOf(NewKey.class);
    NewKey newKey = (NewKey) created;
    ApiKeyRecord record = newKey.record();
    assertThat(ApiKeys.isWellFormed(newKey.key())).isTrue();
    assertThat(record.name()).isEqualTo("ci.deploy");
    assertThat(record.hash()).isEqualTo(ApiKeys.hash(newKey.key()));
    assertThat(record.prefix()).isEqualTo(newKey.key().substring(0, 12));
    assertThat(record.intents()).containsExactly("rollout-*");
    assertThat(record.dryRunOnly()).isTrue();
    assertThat(record.createdAt()).isEqualTo(clock.instant());
    assertThat(record.expiresAt()).contains(clock.instant().plus(Duration.ofDays(30)));
    assertThat(record.revokedAt()).isEmpty();
  }

  @Test
  void keysWithoutGlobsMayTriggerEveryIntentAndNeverExpire() {
    NewKey newKey = (NewKey) keys.create("ci", List.of(), false, Optional.empty());

    assertThat(newKey.record().intents()).containsExactly("*");
    assertThat(newKey.record().expiresAt()).isEmpty();
    assertThat(newKey.record().dryRunOnly()).isFalse();
  }

  @Test
  void repeatedGlobsAreKeptOnceInOrder() {
    NewKey newKey = (NewKey) keys.create("ci", List.of("b-*", "a", "b-*"), false, Optional.empty());

    assertThat(newKey.record().intents()).containsExactly("b-*", "a");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "-ci",
        ".ci",
        "_ci",
        "CI",
        "ci deploy",
        "ci/deploy",
        "ci\n",
        "é",
        "a234567890123456789012345678901234567890123456789012345678901234"
      })
  void badNamesAreRefusedWithoutGeneratingAKey(String name) {
    KeyCreation created = keys.create(name, List.of(), false, Optional.empty());

    assertThat(created).isInstanceOf(KeyCreation.Invalid.class);
    assertThat(((KeyCreation.Invalid) created).problems())
        .singleElement()
        .asString()
        .startsWith("name: ");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "0",
        "ci-1.2",
        "a_b",
        "x",
        "a23456789012345678901234567890123456789012345678901234567890123"
      })
  void goodNamesAreAccepted(String name) {
    assertThat(keys.create(name, List.of(), false, Optional.empty())).isInstanceOf(NewKey.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "Rollout-*", "rollout_*", "rollout.*", "[ab]", "a b", "**/x", "a\n"})
  void badGlobsAreRefusedNamingTheirPosition(String glob) {
    KeyCreation created = keys.create("ci", List.of("ok-*", glob), false, Optional.empty());

    assertThat(((KeyCreation.Invalid) created).problems())
        .singleElement()
        .asString()
        .startsWith("intents[1]: ");
  }

  @Test
  void aKeyMadeToApproveKeepsItsApprovalGlobsOnceInOrderAndTriggersOnlyWhatItIsTold() {
    NewKey approver =
        (NewKey)
            keys.create(
                "bob",
                List.of(),
                List.of("rollout-*", "backup", "rollout-*"),
                false,
                true,
                Optional.empty());
    NewKey both =
        (NewKey)
            keys.create("ops", List.of("restart-*"), List.of("*"), false, true, Optional.empty());

    assertThat(approver.record().approve()).containsExactly("rollout-*", "backup");
    assertThat(approver.record().intents()).isEmpty();
    assertThat(both.record().intents()).containsExactly("restart-*");
    assertThat(both.record().approve()).containsExactly("*");
    assertThat(((NewKey) keys.create("ci", List.of(), false, Optional.empty())).record().approve())
        .isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "Rollout-*", "rollout_*", "../*", "[ab]", "a b", "a/b", "a\n"})
  void badApprovalGlobsAreRefusedNamingTheirPosition(String glob) {
    KeyCreation created =
        keys.create("ci", List.of(), List.of("ok-*", glob), false, true, Optional.empty());

    assertThat(((KeyCreation.Invalid) created).problems())
        .singleElement()
        .asString()
        .startsWith("approve[1]: ");
  }

  @Test
  void tooManyApprovalGlobsAndADryRunOnlyApproverAreRefused() {
    List<String> many = IntStream.range(0, 65).mapToObj(i -> "i" + i).toList();

    assertThat(
            ((KeyCreation.Invalid)
                    keys.create("ci", List.of(), many, false, true, Optional.empty()))
                .problems())
        .containsExactly("approve: at most 64 globs");
    assertThat(
            ((KeyCreation.Invalid)
                    keys.create("ci", List.of(), List.of("*"), true, true, Optional.empty()))
                .problems())
        .containsExactly("approve: a dry-run-only key may not approve executions");
  }

  @ParameterizedTest
  @ValueSource(strings = {"PT0S", "PT-1S", "P36501D"})
  void expiriesMustBePositiveAndWithinACentury(String duration) {
    KeyCreation created =
        keys.create("ci", List.of(), false, Optional.of(Duration.parse(duration)));

    assertThat(((KeyCreation.Invalid) created).problems())
        .singleElement()
        .asString()
        .startsWith("expires: ");
  }

  @Test
  void everyProblemIsReportedAtOnceWithoutEchoingTheInput() {
    KeyCreation created =
        keys.create("Bad Name", List.of("Glob!"), false, Optional.of(Duration.ZERO));

    List<String> problems = ((KeyCreation.Invalid) created).problems();
    assertThat(problems).hasSize(3);
    assertThat(String.join("\n", problems)).doesNotContain("Bad Name").doesNotContain("Glob!");
  }

  @Test
  void aNewKeyNeverShowsTheKeyInItsText() {
    NewKey newKey = (NewKey) keys.create("ci", List.of(), false, Optional.empty());

    assertThat(newKey.toString()).doesNotContain(newKey.key()).contains("ci");
  }
}
