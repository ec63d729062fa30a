package dev.chatops.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.chatops.store.ApiKeyRecord;
import dev.chatops.store.StoreUnavailable;
import dev.chatops.testing.TestClock;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Reloading the key ring: retried until it succeeds, never frozen by one bad row. */
class KeySnapshotsTest {

  private final TestClock clock = new TestClock();
  private final ApiKeys keys = new ApiKeys(new SecureRandom(), clock);
  private final FakeKeyStore store = new FakeKeyStore();
  private KeySnapshots snapshots;

  @AfterEach
  void close() {
    if (snapshots != null) {
      snapshots.close();
    }
  }

  private NewKey create(String name) {
    NewKey key = (NewKey) keys.create(name, List.of(), false, Optional.empty());
    store.put(key.record());
    return key;
  }

  private KeySnapshots snapshots() {
    // The poller sleeps for an hour: the test drives every reload itself.
    snapshots = new KeySnapshots(store, Duration.ofHours(1), clock);
    return snapshots;
  }

  private boolean accepted(NewKey key) {
    return snapshots
        .trusted()
        .flatMap(ring -> ring.authenticate(key.key(), clock.instant()))
        .isPresent();
  }

  @Test
  void aReloadThatFailedIsRetriedOnTheNextPoll() {
    NewKey ci = create("ci");
    snapshots();
    assertThat(accepted(ci)).isTrue();
    store.revoke("ci", clock.instant(), null);

    store.failList(true);
    assertThat(snapshots.refresh()).as("a reload that fails").isFalse();
    store.failList(false);
    assertThat(snapshots.refresh()).as("the retry").isTrue();

    assertThat(accepted(ci)).as("revoked key after a failed reload and a retry").isFalse();
  }

  @Test
  void aFailedVersionCheckIsRetriedToo() {
    NewKey ci = create("ci");
    snapshots();
    store.revoke("ci", clock.instant(), null);

    store.failVersion(true);
    assertThat(snapshots.refresh()).as("a version check that fails").isFalse();
    store.failVersion(false);
    assertThat(snapshots.refresh()).as("the retry").isTrue();

    assertThat(accepted(ci)).isFalse();
  }

  @Test
  void aBadRowInTheSameChangeDoesNotHideARevocation() {
    NewKey ci = create("ci");
    NewKey other = create("other");
    snapshots();
    store.revoke("ci", clock.instant(), null);
    store.put(badHash("broken"));

    assertThat(snapshots.refresh()).as("a reload that leaves out one bad row").isTrue();

    assertThat(accepted(ci)).as("the revoked key").isFalse();
    assertThat(accepted(other)).as("a good key next to the bad row").isTrue();

    store.remove("broken");
    assertThat(snapshots.refresh()).isTrue();

    assertThat(accepted(ci)).as("the revoked key once the bad row is gone").isFalse();
    assertThat(accepted(other)).isTrue();
  }

  @Test
  void aKeyCreatedNextToABadRowIsAccepted() {
    create("ci");
    snapshots();
    store.put(badHash("broken"));
    NewKey fresh = create("fresh");

    assertThat(snapshots.refresh()).isTrue();

    assertThat(accepted(fresh)).isTrue();
  }

  @Test
  void aRingThatCannotBeConfirmedForThirtySecondsIsNoLongerTrusted() {
    NewKey ci = create("ci");
    snapshots();
    store.failVersion(true);

    clock.advance(Duration.ofSeconds(30));
    assertThat(snapshots.refresh()).isFalse();
    assertThat(snapshots.trusted()).as("at the bound").isPresent();

    clock.advance(Duration.ofMillis(1));
    assertThat(snapshots.refresh()).isFalse();
    assertThat(snapshots.trusted()).as("past the bound").isEmpty();
    assertThat(accepted(ci)).as("no key is accepted from an untrusted ring").isFalse();
  }

  @Test
  void aLoadThatKeepsFailingIsNoLongerTrustedEvenThoughTheVersionCanBeRead() {
    create("ci");
    snapshots();
    store.revoke("ci", clock.instant(), null);
    store.failList(true);

    for (int second = 2; second <= 30; second += 2) {
      clock.advance(Duration.ofSeconds(2));
      assertThat(snapshots.refresh()).isFalse();
    }
    assertThat(snapshots.trusted()).isPresent();
    clock.advance(Duration.ofSeconds(2));

    assertThat(snapshots.trusted()).isEmpty();
  }

  @Test
  void theBoundCountsFromTheLastSuccessfulPoll() {
    create("ci");
    snapshots();
    clock.advance(Duration.ofSeconds(20));
    assertThat(snapshots.refresh()).isTrue();
    store.failVersion(true);

    clock.advance(Duration.ofSeconds(25));
    assertThat(snapshots.trusted()).isPresent();
    clock.advance(Duration.ofSeconds(6));
    assertThat(snapshots.trusted()).isEmpty();
  }

  @Test
  void theFirstSuccessfulPollTrustsTheRingAgainWithTheStoresChanges() {
    NewKey ci = create("ci");
    NewKey other = create("other");
    snapshots();
    store.failVersion(true);
    clock.advance(Duration.ofMinutes(5));
    assertThat(snapshots.trusted()).isEmpty();
    store.revoke("ci", clock.instant(), null);

    store.failVersion(false);
    assertThat(snapshots.refresh()).isTrue();

    assertThat(snapshots.trusted()).isPresent();
    assertThat(accepted(ci)).isFalse();
    assertThat(accepted(other)).isTrue();
  }

  @Test
  void thePollerRetriesAFailedReloadByItself() {
    NewKey ci = create("ci");
    snapshots = new KeySnapshots(store, Duration.ofMillis(10), clock);
    store.failList(true);
    store.revoke("ci", clock.instant(), null);
    await().atMost(Duration.ofSeconds(5)).until(() -> store.failedLists() >= 2);
    assertThat(accepted(ci)).as("while the keys cannot be listed").isTrue();

    store.failList(false);

    await().atMost(Duration.ofSeconds(5)).until(() -> !accepted(ci));
  }

  @Test
  void keysThatCannotBeReadAtStartStopTheStart() {
    store.failList(true);

    assertThatThrownBy(() -> new KeySnapshots(store, Duration.ofHours(1), clock))
        .isInstanceOf(StoreUnavailable.class);
  }

  private ApiKeyRecord badHash(String name) {
    return new ApiKeyRecord(
        name,
        "not-a-sha256",
        "chk_AAAAAAAA",
        List.of("*"),
        false,
        clock.instant(),
        Optional.empty(),
        Optional.empty());
  }
}
