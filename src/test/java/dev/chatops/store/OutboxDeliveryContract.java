package dev.chatops.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chatops.store.Outbox.Item;
import dev.chatops.store.Outbox.Message;
import dev.chatops.store.Outbox.State;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The outbox's delivery side, for every store: enqueueing, leases that no two holders share and
 * that pass, the outcomes of attempts, listing and counting, and all of it kept over a restart.
 */
public abstract class OutboxDeliveryContract extends StoreContract {

  private static final Duration LEASE = Duration.ofMinutes(1);

  private static List<Message> messages(int count) {
    return IntStream.rangeClosed(1, count)
        .mapToObj(n -> new Message("ops", "test", "{\"n\":" + n + "}"))
        .toList();
  }

  private static List<Long> ids(List<Item> items) {
    return items.stream().map(Item::id).toList();
  }

  private Item only(long id) {
    return store.outbox().list(Optional.empty(), 10_000).stream()
        .filter(item -> item.id() == id)
        .findFirst()
        .orElseThrow();
  }

  @Test
  void enqueuedMessagesArePendingAndDueAtOnceWithIdsThatOnlyGrow() {
    List<Item> first = store.outbox().enqueue(messages(2));
    List<Item> second = store.outbox().enqueue(messages(1));

    Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    assertThat(first)
        .allSatisfy(
            item -> {
              assertThat(item.state()).isEqualTo(State.PENDING);
              assertThat(item.auditSeq()).isEmpty();
              assertThat(item.createdAt()).isEqualTo(now);
              assertThat(item.nextAttempt()).isEqualTo(now);
              assertThat(item.attempts()).isZero();
              assertThat(item.leaseOwner()).isEmpty();
            });
    assertThat(first.get(1).id()).isGreaterThan(first.get(0).id());
    assertThat(second.get(0).id()).isGreaterThan(first.get(1).id());
    assertThat(store.outbox().enqueue(List.of())).isEmpty();
  }

  @Test
  void aLeaseClaimsDueItemsOldestFirstForItsHolderAlone() {
    List<Long> ids = ids(store.outbox().enqueue(messages(5)));
    Store other = open();

    List<Item> leased = store.outbox().lease(clock.instant(), LEASE, 2, "a");
    List<Item> more = other.outbox().lease(clock.instant(), LEASE, 2, "b");
    List<Item> rest = store.outbox().lease(clock.instant(), LEASE, 10, "a");

    assertThat(ids(leased)).containsExactly(ids.get(0), ids.get(1));
    assertThat(ids(more)).containsExactly(ids.get(2), ids.get(3));
    assertThat(ids(rest)).containsExactly(ids.get(4));
    assertThat(leased.get(0).leaseOwner()).contains("a");
    assertThat(leased.get(0).leaseUntil())
        .contains(clock.instant().plus(LEASE).truncatedTo(java.time.temporal.ChronoUnit.MICROS));
    assertThat(only(ids.get(2)).leaseOwner()).contains("b");
    assertThat(other.outbox().lease(clock.instant(), LEASE, 10, "b")).isEmpty();
  }

  @Test
  void aLeaseNotGivenUpPassesAndTheItemIsLeasedAgain() {
    long id = store.outbox().enqueue(messages(1)).get(0).id();
    store.outbox().lease(clock.instant(), LEASE, 10, "dies");

    clock.advance(LEASE.minusNanos(1_000));
    assertThat(store.outbox().lease(clock.instant(), LEASE, 10, "next")).isEmpty();
    clock.advance(Duration.ofNanos(1_000));
    List<Item> again = store.outbox().lease(clock.instant(), LEASE, 10, "next");

    assertThat(ids(again)).containsExactly(id);
    assertThat(again.get(0).leaseOwner()).contains("next");
  }

  @Test
  void twoStoresOnOneDatabaseNeverLeaseTheSameItem() throws Exception {
    Store other = open();
    List<Store> stores = List.of(store, other, store, other);
    ExecutorService threads = Executors.newFixedThreadPool(stores.size());
    try {
      for (int round = 0; round < 20; round++) {
        Future<List<Item>> mine = threads.submit(() -> store.outbox().enqueue(messages(20)));
        Future<List<Item>> theirs = threads.submit(() -> other.outbox().enqueue(messages(20)));
        List<Long> both = new ArrayList<>(ids(mine.get()));
        both.addAll(ids(theirs.get()));
        assertThat(both).as("ids given by two stores at once").doesNotHaveDuplicates();
        Set<Long> enqueued = Set.copyOf(both);
        Set<Long> leased = ConcurrentHashMap.newKeySet();
        List<Long> duplicates = new ArrayList<>();
        List<Future<?>> holders = new ArrayList<>();
        for (int h = 0; h < stores.size(); h++) {
          Store holder = stores.get(h);
          String owner = "holder-" + h;
          holders.add(
              threads.submit(
                  () -> {
                    while (true) {
                      List<Item> got = holder.outbox().lease(clock.instant(), LEASE, 3, owner);
                      if (got.isEmpty()) {
                        return;
                      }
                      for (Item item : got) {
                        if (!leased.add(item.id())) {
                          synchronized (duplicates) {
                            duplicates.add(item.id());
                          }
                        }
                      }
                    }
                  }));
        }
        for (Future<?> holder : holders) {
          holder.get();
        }
        assertThat(duplicates).as("round %d", round).isEmpty();
        assertThat(leased).as("round %d", round).isEqualTo(enqueued);
        for (long id : enqueued) {
          store.outbox().delivered(id, 1, clock.instant());
        }
      }
    } finally {
      threads.shutdownNow();
    }
    assertThat(store.outbox().counts()).containsEntry(State.DELIVERED, 800L);
  }

  @Test
  void aRetryGivesTheLeaseUpAndWaitsUntilItsNextAttempt() {
    long id = store.outbox().enqueue(messages(1)).get(0).id();
    store.outbox().lease(clock.instant(), LEASE, 1, "a");
    Instant next = clock.instant().plusSeconds(30);

    store.outbox().retry(id, 1, next, "HTTP 429 Too Many Requests");

    Item item = only(id);
    assertThat(item.state()).isEqualTo(State.PENDING);
    assertThat(item.attempts()).isEqualTo(1);
    assertThat(item.nextAttempt())
        .isEqualTo(next.truncatedTo(java.time.temporal.ChronoUnit.MICROS));
    assertThat(item.lastError()).contains("HTTP 429 Too Many Requests");
    assertThat(item.leaseOwner()).isEmpty();
    assertThat(item.leaseUntil()).isEmpty();
    assertThat(store.outbox().lease(clock.instant(), LEASE, 1, "b")).isEmpty();
    clock.advance(Duration.ofSeconds(30));
    assertThat(ids(store.outbox().lease(clock.instant(), LEASE, 1, "b"))).containsExactly(id);
  }

  @Test
  void deliveredAndDeadItemsLeaveThePendingOnesForGood() {
    List<Long> ids = ids(store.outbox().enqueue(messages(2)));
    store.outbox().lease(clock.instant(), LEASE, 2, "a");
    store.outbox().retry(ids.get(0), 1, clock.instant(), "timed out");

    store.outbox().delivered(ids.get(0), 2, clock.instant());
    store.outbox().dead(ids.get(1), 1, clock.instant(), "HTTP 404 Unknown Webhook");
    clock.advance(LEASE.multipliedBy(2));

    Item delivered = only(ids.get(0));
    Item dead = only(ids.get(1));
    assertThat(delivered.state()).isEqualTo(State.DELIVERED);
    assertThat(delivered.attempts()).isEqualTo(2);
    assertThat(delivered.endedAt()).contains(T0);
    assertThat(delivered.leaseOwner()).isEmpty();
    assertThat(dead.state()).isEqualTo(State.DEAD);
    assertThat(dead.lastError()).contains("HTTP 404 Unknown Webhook");
    assertThat(dead.endedAt()).contains(T0);
    assertThat(dead.leaseUntil()).isEmpty();
    assertThat(store.outbox().lease(clock.instant(), LEASE, 10, "b")).isEmpty();
  }

  @Test
  void theFirstOutcomeOfAnItemStandsWhenALateHolderReportsAnother() {
    long id = store.outbox().enqueue(messages(1)).get(0).id();
    store.outbox().delivered(id, 1, clock.instant());

    store.outbox().retry(id, 2, clock.instant(), "late");
    store.outbox().dead(id, 2, clock.instant(), "late");

    Item item = only(id);
    assertThat(item.state()).isEqualTo(State.DELIVERED);
    assertThat(item.attempts()).isEqualTo(1);
    assertThat(item.lastError()).isEmpty();
  }

  @Test
  void anErrorIsKeptCutToABoundNeverSplittingACharacter() {
    long id = store.outbox().enqueue(messages(1)).get(0).id();
    String error = "x".repeat(497) + "😀".repeat(1_000);

    store.outbox().retry(id, 1, clock.instant(), error);

    String kept = only(id).lastError().orElseThrow();
    assertThat(kept.length()).isLessThanOrEqualTo(500);
    assertThat(kept).startsWith("x".repeat(497)).endsWith("…");
    // a lone half of a pair shows as a code point of its own
    assertThat(kept.codePoints().filter(c -> Character.getType(c) == Character.SURROGATE))
        .isEmpty();
  }

  @Test
  void badInputIsRefusedAndChangesNothing() {
    long id = store.outbox().enqueue(messages(1)).get(0).id();
    Instant now = clock.instant();

    assertThatThrownBy(() -> store.outbox().lease(now, Duration.ZERO, 1, "a"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.outbox().lease(now, Duration.ofSeconds(-1), 1, "a"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.outbox().lease(now, LEASE, 0, "a"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.outbox().lease(now, Duration.ofDays(365 * 400_000L), 1, "a"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.outbox().delivered(id, -1, now))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.outbox().delivered(id + 1_000, 1, now))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no outbox item");
    assertThatThrownBy(() -> store.outbox().dead(-5, 1, now, "x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.outbox().list(Optional.empty(), 0))
        .isInstanceOf(IllegalArgumentException.class);
    List<Message> withNull = new ArrayList<>(messages(1));
    withNull.add(null);
    assertThatThrownBy(() -> store.outbox().enqueue(withNull))
        .isInstanceOf(NullPointerException.class);

    assertThat(store.outbox().list(Optional.empty(), 10))
        .singleElement()
        .satisfies(
            item -> {
              assertThat(item.id()).isEqualTo(id);
              assertThat(item.state()).isEqualTo(State.PENDING);
              assertThat(item.leaseOwner()).isEmpty();
            });
  }

  @Test
  void listShowsTheNewestFirstOfOneStateOrAllAndCountsShowEveryState() {
    assertThat(store.outbox().counts()).containsOnlyKeys(State.values()).containsValues(0L, 0L, 0L);
    List<Long> ids = ids(store.outbox().enqueue(messages(6)));
    store.outbox().delivered(ids.get(0), 1, clock.instant());
    store.outbox().delivered(ids.get(2), 1, clock.instant());
    store.outbox().dead(ids.get(3), 5, clock.instant(), "gave up");

    assertThat(ids(store.outbox().list(Optional.empty(), 100)))
        .containsExactlyElementsOf(ids.reversed());
    assertThat(ids(store.outbox().list(Optional.empty(), 2)))
        .containsExactly(ids.get(5), ids.get(4));
    assertThat(ids(store.outbox().list(Optional.of(State.PENDING), 100)))
        .containsExactly(ids.get(5), ids.get(4), ids.get(1));
    assertThat(ids(store.outbox().list(Optional.of(State.DELIVERED), 1)))
        .containsExactly(ids.get(2));
    assertThat(ids(store.outbox().list(Optional.of(State.DEAD), 100))).containsExactly(ids.get(3));
    assertThat(store.outbox().counts())
        .containsEntry(State.PENDING, 3L)
        .containsEntry(State.DELIVERED, 2L)
        .containsEntry(State.DEAD, 1L);
  }

  @Test
  void aRestartKeepsPendingItemsWithTheirIdsAndLeasesAndNewIdsFollowThem() {
    List<Item> items = store.outbox().enqueue(messages(3));
    store.outbox().lease(clock.instant(), LEASE, 1, "died");
    store.outbox().retry(items.get(1).id(), 1, clock.instant().plusSeconds(5), "HTTP 500");
    List<Item> before = store.outbox().list(Optional.empty(), 10);

    Store restarted = reopen();

    assertThat(restarted.outbox().list(Optional.empty(), 10)).isEqualTo(before);
    assertThat(restarted.outbox().lease(clock.instant(), LEASE, 10, "new"))
        .extracting(Item::id)
        .containsExactly(items.get(2).id());
    long next = restarted.outbox().enqueue(messages(1)).get(0).id();
    assertThat(next).isGreaterThan(items.get(2).id());
  }
}
