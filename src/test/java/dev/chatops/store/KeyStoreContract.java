package dev.chatops.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

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
        kind,
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
}
