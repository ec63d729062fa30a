package dev.chatops.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chatops.store.AuditTrail.Verification;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The contract of {@link KeyStore}, run against every store implementation. */
public abstract class KeyStoreContract extends StoreContract {

  private static ApiKeyRecord key(String name, char hash) {
    return new ApiKeyRecord(
        name,
        String.valueOf(hash).repeat(64),
        "chops_" + hash,
        List.of("scale-*", "rollout-stack-ai"),
        false,
        T0,
        Optional.of(T0.plusSeconds(86_400)),
        Optional.empty());
  }

  private static AuditEntry keyEntry(String kind, String name) {
    return new AuditEntry(
        T0,
        AuditKind.ofKey(kind).orElseThrow(),
        "cli:root",
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        "{\"key\":\"" + name + "\"}");
  }

  @Test
  void listsCreatedKeysByName() throws Exception {
    store.keys().create(key("deploy-bot", 'b'), keyEntry("key.created", "deploy-bot"));
    store.keys().create(key("ci", 'a'), keyEntry("key.created", "ci"));

    assertThat(store.keys().list()).containsExactly(key("ci", 'a'), key("deploy-bot", 'b'));
    assertThat(records(store, "key.created")).hasSize(2);
  }

  @Test
  void refusesATakenNameAndWritesNothing() throws Exception {
    store.keys().create(key("ci", 'a'), keyEntry("key.created", "ci"));
    long version = store.keys().version();

    assertThatThrownBy(() -> store.keys().create(key("ci", 'c'), keyEntry("key.created", "ci")))
        .isInstanceOf(KeyStore.NameTaken.class)
        .hasMessageContaining("'ci'");
    assertThat(store.keys().list()).containsExactly(key("ci", 'a'));
    assertThat(store.keys().version()).isEqualTo(version);
    assertThat(records(store)).hasSize(1);
  }

  @Test
  void revokesAKeyOnceAndAuditsIt() throws Exception {
    store.keys().create(key("ci", 'a'), keyEntry("key.created", "ci"));

    assertThat(store.keys().revoke("ci", T0.plusSeconds(5), keyEntry("key.revoked", "ci")))
        .isTrue();
    assertThat(store.keys().revoke("ci", T0.plusSeconds(9), keyEntry("key.revoked", "ci")))
        .isFalse();
    assertThat(store.keys().revoke("nobody", T0, keyEntry("key.revoked", "nobody"))).isFalse();

    assertThat(store.keys().list().getFirst().revokedAt()).contains(T0.plusSeconds(5));
    assertThat(records(store, "key.revoked")).hasSize(1);
  }

  @Test
  void replacingAKeyDeletesTheOldOneWhateverItsStateAndAuditsTheNewOne() throws Exception {
    store.keys().create(key("demo", 'a'), keyEntry("key.created", "demo"));
    store.keys().revoke("demo", T0, keyEntry("key.revoked", "demo"));
    long version = store.keys().version();

    store.keys().replace(key("demo", 'b'), keyEntry("key.created", "demo"));
    store.keys().replace(key("demo", 'c'), keyEntry("key.created", "demo"));
    store.keys().replace(key("new", 'd'), keyEntry("key.created", "new"));

    assertThat(store.keys().list()).containsExactly(key("demo", 'c'), key("new", 'd'));
    assertThat(store.keys().version()).isGreaterThan(version);
    assertThat(records(store, "key.created")).hasSize(4);
    assertThat(store.audit().verify().intact()).isTrue();
  }

  @Test
  void aReplacementWithAHashInUseChangesNothing() throws Exception {
    store.keys().create(key("ci", 'a'), keyEntry("key.created", "ci"));
    store.keys().create(key("demo", 'b'), keyEntry("key.created", "demo"));

    assertThatThrownBy(
            () -> store.keys().replace(key("demo", 'a'), keyEntry("key.created", "demo")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(store.keys().list()).containsExactly(key("ci", 'a'), key("demo", 'b'));
    assertThat(records(store)).hasSize(2);
  }

  @Test
  void theVersionChangesWithEveryCreateAndRevokeAsAnotherProcessSeesIt() throws Exception {
    Store other = open();
    long start = other.keys().version();

    store.keys().create(key("ci", 'a'), keyEntry("key.created", "ci"));
    long afterCreate = other.keys().version();
    store.keys().revoke("ci", T0, keyEntry("key.revoked", "ci"));
    long afterRevoke = other.keys().version();
    store.keys().revoke("ci", T0, keyEntry("key.revoked", "ci"));

    assertThat(afterCreate).isNotEqualTo(start);
    assertThat(afterRevoke).isNotEqualTo(afterCreate);
    assertThat(other.keys().version()).isEqualTo(afterRevoke);
  }

  @Test
  void keepsWhetherAKeyMaySendLabels() throws Exception {
    ApiKeyRecord bare = key("bare", 'b');
    ApiKeyRecord noLabels =
        new ApiKeyRecord(
            "no-labels",
            "c".repeat(64),
            "chops_c",
            List.of("*"),
            false,
            false,
            T0,
            Optional.empty(),
            Optional.empty());
    store.keys().create(bare, keyEntry("key.created", "bare"));
    store.keys().create(noLabels, keyEntry("key.created", "no-labels"));

    assertThat(store.keys().list()).containsExactly(bare, noLabels);
    assertThat(store.keys().list())
        .extracting(ApiKeyRecord::callerLabels)
        .containsExactly(true, false);
  }

  /** ci created (record 1), deploy-bot created (2), ci revoked 5 s later (3). */
  private void twoKeysOneRevoked() throws Exception {
    store.keys().create(key("ci", 'a'), keyEntry("key.created", "ci"));
    store.keys().create(key("deploy-bot", 'b'), keyEntry("key.created", "deploy-bot"));
    store.keys().revoke("ci", T0.plusSeconds(5), keyEntry("key.revoked", "ci"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "UPDATE api_keys SET revoked_at = NULL WHERE name = 'ci'"
            + " | key ci: revoked_at cleared ('2026-03-01T12:00:05.123456Z' in the chain, record 3)",
        "UPDATE api_keys SET intents = '[\"*\"]' WHERE name = 'deploy-bot'"
            + " | key deploy-bot: intents is [\"*\"] in the table but"
            + " [\"scale-*\",\"rollout-stack-ai\"] in the chain (record 2)",
        "UPDATE api_keys SET dry_run_only = 1 WHERE name = 'deploy-bot'"
            + " | key deploy-bot: dry_run_only is true in the table but false in the chain"
            + " (record 2)",
        "UPDATE api_keys SET expires_at = NULL WHERE name = 'deploy-bot'"
            + " | key deploy-bot: expires_at cleared ('2026-03-02T12:00:00.123456Z' in the chain,"
            + " record 2)",
        "UPDATE api_keys SET key_hash = '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef'"
            + " WHERE name = 'deploy-bot' | key deploy-bot: fingerprint is '",
        "UPDATE api_keys SET caller_labels = 0 WHERE name = 'deploy-bot'"
            + " | key deploy-bot: caller_labels is false in the table but true in the chain"
            + " (record 2)",
        "DELETE FROM api_keys WHERE name = 'deploy-bot'"
            + " | key deploy-bot: row missing (last recorded in record 2)",
        "INSERT INTO api_keys (name, key_hash, key_prefix, intents, dry_run_only, created_at)"
            + " SELECT 'mallory', 'f', key_prefix, '[\"*\"]', 0, created_at FROM api_keys"
            + " WHERE name = 'ci' | key mallory: no record in the chain names it",
      })
  void verifyNamesAKeyRowThatDisagreesWithTheChain(String sql, String expected) throws Exception {
    twoKeysOneRevoked();
    assertThat(store.audit().verify()).isEqualTo(new Verification(true, 3, 0, ""));

    tamper(sql);
    Verification verification = store.audit().verify();

    assertThat(verification.intact()).isFalse();
    assertThat(verification.firstBroken()).isZero();
    assertThat(verification.rows()).singleElement().asString().startsWith(expected);
    assertThat(verification.rowDisagreements()).isOne();
  }

  @Test
  void verifyFindsARevocationClearedAndThenMadeAgain() throws Exception {
    twoKeysOneRevoked();

    tamper("UPDATE api_keys SET revoked_at = NULL WHERE name = 'ci'");
    store.keys().revoke("ci", T0.plusSeconds(9), keyEntry("key.revoked", "ci"));
    Verification verification = store.audit().verify();

    assertThat(verification.rows())
        .containsExactly(
            "key ci: revoked_at changed from '2026-03-01T12:00:05.123456Z' (record 3) to"
                + " '2026-03-01T12:00:09.123456Z' (record 4), which the store never does");
  }

  @Test
  void aReplacedKeyIsComparedWithItsNewRowAndACallerCannotWriteARow() throws Exception {
    twoKeysOneRevoked();
    store.keys().replace(key("ci", 'c'), keyEntry("key.created", "ci"));
    Store cli = open();
    cli.keys().replace(key("demo", 'd'), keyEntry("key.created", "demo"));
    cli.keys().revoke("demo", T0, keyEntry("key.revoked", "demo"));

    assertThat(store.audit().verify()).isEqualTo(new Verification(true, 6, 0, ""));
    assertThat(records(store).get(3).entry().detail())
        .contains("\"change\":\"created\"", "\"name\":\"ci\"", "\"revoked_at\":null")
        .contains("\"fingerprint\":\"" + AuditTrailContract.sha256("api-key:" + "c".repeat(64)))
        .doesNotContain("c".repeat(64));
    assertThatThrownBy(
            () -> store.keys().create(key("x", 'e'), entry("key.created", "{\"row\":{}}")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(store.keys().list()).extracting(ApiKeyRecord::name).doesNotContain("x");
  }

  @Test
  void recordsWrittenBeforeRowsWereAddedAreComparedAsFarAsTheyGo() throws Exception {
    // What an older version wrote: entries without a row, and the row itself.
    store
        .audit()
        .append(
            entry(
                "key.created",
                "{\"name\":\"old\",\"prefix\":\"chk_old\",\"intents\":[\"*\"],"
                    + "\"dry_run_only\":true}"));
    store.audit().append(entry("key.revoked", "{\"name\":\"old\"}"));
    tamper(
        "INSERT INTO api_keys (name, key_hash, key_prefix, intents, dry_run_only, created_at,"
            + " revoked_at) VALUES ('old', '"
            + "e".repeat(64)
            + "', 'chk_old', '[\"*\"]', 1, 1, 2)");
    assertThat(store.audit().verify()).isEqualTo(new Verification(true, 2, 0, ""));

    tamper("UPDATE api_keys SET revoked_at = NULL, dry_run_only = 0, intents = '[\"a\"]'");
    Verification verification = store.audit().verify();

    assertThat(verification.rows())
        .containsExactly(
            "key old: intents is [\"a\"] in the table but [\"*\"] in the chain (record 1)",
            "key old: dry_run_only is false in the table but true in the chain (record 1)",
            "key old: revoked_at cleared (set in record 2)");
  }

  @Test
  void keepsWhatAKeyMayApproveThroughARevocation() throws Exception {
    ApiKeyRecord approver =
        new ApiKeyRecord(
            "approver",
            "d".repeat(64),
            "chops_d",
            List.of(),
            List.of("rollout-*", "backup"),
            false,
            true,
            T0,
            Optional.empty(),
            Optional.empty());
    store.keys().create(approver, keyEntry("key.created", "approver"));
    store.keys().create(key("bare", 'b'), keyEntry("key.created", "bare"));

    assertThat(store.keys().list()).containsExactly(approver, key("bare", 'b'));
    assertThat(store.keys().list())
        .extracting(ApiKeyRecord::approve)
        .containsExactly(List.of("rollout-*", "backup"), List.of());
    assertThat(store.keys().revoke("approver", T0.plusSeconds(1), keyEntry("key.revoked", "x")))
        .isTrue();
    assertThat(store.keys().list().getFirst().approve()).containsExactly("rollout-*", "backup");
    assertThat(store.audit().verify().intact()).isTrue();
  }
}
