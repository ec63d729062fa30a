package dev.chatops.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Deliveries remembered in a real SQLite file: once only, across a restart, forgotten late. */
class DeliveriesStoreTest {

  private static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");

  @TempDir Path dir;

  private final List<SqliteStore> opened = new ArrayList<>();

  @AfterEach
  void close() {
    opened.forEach(SqliteStore::close);
  }

  private SqliteStore open() {
    SqliteStore store = SqliteStore.open(dir.resolve("chatops.db"), () -> T0);
    opened.add(store);
    return store;
  }

  @Test
  void aDeliveryIsNewOnceAndAReplayAfterARestart() {
    SqliteStore first = open();
    assertThat(first.deliveries().remember("github", "72d3162e-cc78-11e3-81ab-4c9367dc0958", T0))
        .isTrue();
    assertThat(first.deliveries().remember("github", "72d3162e-cc78-11e3-81ab-4c9367dc0958", T0))
        .isFalse();
    // Another source's id of the same text is another delivery.
    assertThat(first.deliveries().remember("slack", "72d3162e-cc78-11e3-81ab-4c9367dc0958", T0))
        .isTrue();
    first.close();
    opened.remove(first);
    SqliteStore again = open();
    assertThat(again.deliveries().remember("github", "72d3162e-cc78-11e3-81ab-4c9367dc0958", T0))
        .isFalse();
  }

  @Test
  void oldDeliveriesAreForgottenAndOnlyThey() {
    SqliteStore store = open();
    store.deliveries().remember("github", "old", T0.minus(Duration.ofDays(8)));
    store.deliveries().remember("github", "recent", T0.minus(Duration.ofHours(25)));
    assertThat(store.deliveries().forget(T0.minus(JdbcDeliveries.KEPT))).isEqualTo(1);
    assertThat(store.deliveries().remember("github", "old", T0)).isTrue();
    assertThat(store.deliveries().remember("github", "recent", T0)).isFalse();
  }

  @Test
  void ofManyAtOnceExactlyOneIsNew() throws Exception {
    SqliteStore store = open();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<Boolean>> tries = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        tries.add(() -> store.deliveries().remember("discord", "1234567890123456789", T0));
      }
      long fresh = 0;
      for (Future<Boolean> result : pool.invokeAll(tries)) {
        fresh += result.get() ? 1 : 0;
      }
      assertThat(fresh).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void refusesSourcesAndIdsOutOfShape() {
    SqliteStore store = open();
    assertThatThrownBy(() -> store.deliveries().remember("git hub", "x", T0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.deliveries().remember("github", "", T0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.deliveries().remember("github", "x".repeat(129), T0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
