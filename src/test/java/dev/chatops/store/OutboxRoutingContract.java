package dev.chatops.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chatops.store.AuditTrail.Denial;
import dev.chatops.store.Outbox.Item;
import dev.chatops.store.Outbox.Message;
import dev.chatops.store.Outbox.State;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The outbox's router, for every store: every appended record is routed inside its own transaction,
 * so the messages it causes exist exactly when the record does.
 */
public abstract class OutboxRoutingContract extends StoreContract {

  /**
   * Routes every record to one message for channel {@code ops}, named after the record's kind, that
   * says the record's number and, for a record about an execution, the execution's status as the
   * lookup gives it; fails on a record whose detail asks for it.
   */
  static final Outbox.Router EVERY_RECORD =
      (record, lookup) -> {
        if (record.entry().detail().contains("\"route\":\"fail\"")) {
          throw new IllegalStateException("the router refuses this one");
        }
        String status =
            record
                .entry()
                .executionId()
                .map(id -> lookup.execution(id).map(e -> e.status().key()).orElse("none"))
                .orElse("-");
        return List.of(
            new Message(
                "ops",
                record.entry().kind().key(),
                "{\"seq\":" + record.seq() + ",\"status\":\"" + status + "\"}"));
      };

  private List<Item> all(Store from) {
    return from.outbox().list(Optional.empty(), 10_000);
  }

  /** Each item's record and what it says, oldest first. */
  private List<String> routed(Store from) {
    List<String> routed = new ArrayList<>();
    for (Item item : all(from).reversed()) {
      routed.add(item.auditSeq().orElse(0L) + " " + item.message().event());
    }
    return routed;
  }

  private List<String> recorded(Store from) {
    return records(from).stream().map(r -> r.seq() + " " + r.entry().kind().key()).toList();
  }

  @Test
  void everyRecordAppendedIsRoutedAndTheMessagesExistExactlyWhenTheRecordDoes() throws Exception {
    store.outbox().route(EVERY_RECORD);
    ExecutionRecord execution = execution("ex-1", T0);

    store.audit().append(entry("service.started", "{}"));
    store.executions().accept(execution, entryFor(execution, "trigger.accepted"), Optional.empty());
    assertThatThrownBy(
            () ->
                store
                    .executions()
                    .accept(execution, entryFor(execution, "trigger.accepted"), Optional.empty()))
        .isInstanceOf(IllegalStateException.class);
    store.executions().started("ex-1", T0, entryFor(execution, "execution.started"));
    assertThatThrownBy(
            () -> store.executions().started("ex-1", T0, entryFor(execution, "execution.started")))
        .isInstanceOf(IllegalStateException.class);
    store
        .executions()
        .finished(
            "ex-1",
            ExecutionStatus.FAILED,
            T0,
            "failed",
            "report",
            entryFor(execution, "execution.finished"));
    for (int i = 0; i <= INDIVIDUAL_DENIALS; i++) {
      store.audit().deny(new Denial(T0, "203.0.113.9", "bad_key", "-", "{}"));
    }
    reopen(); // closing writes the open denial window's aggregate: routed too

    assertThat(records(store)).hasSize(4 + INDIVIDUAL_DENIALS + 1);
    assertThat(routed(store))
        .containsExactlyElementsOf(recorded(store))
        .contains("5 trigger.denied", (5 + INDIVIDUAL_DENIALS) + " denials.aggregated");
    assertThat(all(store)).allSatisfy(item -> assertThat(item.state()).isEqualTo(State.PENDING));
  }

  @Test
  void theLookupSeesTheExecutionAsTheRecordsOwnTransactionLeavesIt() {
    store.outbox().route(EVERY_RECORD);
    ExecutionRecord execution = execution("ex-1", T0);

    store.executions().accept(execution, entryFor(execution, "trigger.accepted"), Optional.empty());
    store.executions().started("ex-1", T0, entryFor(execution, "execution.started"));
    store
        .executions()
        .finished(
            "ex-1",
            ExecutionStatus.SUCCEEDED,
            T0,
            "done",
            null,
            entryFor(execution, "execution.finished"));
    store.audit().append(entryFor(execution("ex-unknown", T0), "trigger.denied"));

    assertThat(all(store).reversed())
        .extracting(item -> item.message().event() + " " + item.message().notice())
        .containsExactly(
            "trigger.accepted {\"seq\":1,\"status\":\"queued\"}",
            "execution.started {\"seq\":2,\"status\":\"running\"}",
            "execution.finished {\"seq\":3,\"status\":\"succeeded\"}",
            "trigger.denied {\"seq\":4,\"status\":\"none\"}");
  }

  @Test
  void aRouterThatThrowsFailsThatWriteAloneAndNothingOfItStays() {
    store.outbox().route(EVERY_RECORD);
    AuditRecord first = store.audit().append(entry("service.started", "{}"));

    assertThatThrownBy(() -> store.audit().append(entry("key.created", "{\"route\":\"fail\"}")))
        .isInstanceOf(StoreUnavailable.class)
        .hasMessageContaining("router")
        .hasMessageContaining("key.created");
    ExecutionRecord execution = execution("ex-1", T0);
    AuditEntry refused =
        new AuditEntry(
            T0,
            AuditKind.TRIGGER_ACCEPTED,
            "ci",
            Optional.of("100.64.0.7"),
            Optional.of(execution.intent()),
            Optional.of("ex-1"),
            "{\"route\":\"fail\"}");
    assertThatThrownBy(() -> store.executions().accept(execution, refused, Optional.empty()))
        .isInstanceOf(StoreUnavailable.class);
    AuditRecord next = store.audit().append(entry("service.stopped", "{}"));

    assertThat(store.executions().find("ex-1")).isEmpty();
    assertThat(next.seq()).isEqualTo(first.seq() + 1);
    assertThat(next.previousHash()).isEqualTo(first.hash());
    assertThat(routed(store)).containsExactly("1 service.started", "2 service.stopped");
    assertThat(store.audit().verify().intact()).isTrue();
  }

  @Test
  void aRouterThatAnswersNullFailsTheWriteAsOneThatThrows() {
    store.outbox().route((record, lookup) -> null);

    assertThatThrownBy(() -> store.audit().append(entry("service.started", "{}")))
        .isInstanceOf(StoreUnavailable.class);

    assertThat(records(store)).isEmpty();
    assertThat(all(store)).isEmpty();
  }

  @Test
  void aStoreRoutesNothingUntilARouterIsInstalledAndTheLatestOneRoutes() {
    store.audit().append(entry("service.started", "{}"));
    store.outbox().route(EVERY_RECORD);
    store.audit().append(entry("key.created", "{}"));
    store
        .outbox()
        .route(
            (record, lookup) ->
                List.of(
                    new Message("a", "x", "{}"),
                    new Message("b", "y", "{}"),
                    new Message("c", "z", "{}")));
    store.audit().append(entry("key.revoked", "{}"));
    store.outbox().route(Outbox.Router.NONE);
    store.audit().append(entry("service.stopped", "{}"));

    assertThat(all(store).reversed())
        .extracting(item -> item.auditSeq().orElseThrow() + " " + item.message().channel())
        .containsExactly("2 ops", "3 a", "3 b", "3 c");
  }

  @Test
  void listenersRunAfterEveryCommitThatAddedItemsAndOneThatThrowsHarmsNothing() {
    AtomicInteger woken = new AtomicInteger();
    store
        .outbox()
        .listen(
            () -> {
              throw new IllegalStateException("a listener that fails");
            });
    store.outbox().listen(woken::incrementAndGet);

    store.audit().append(entry("service.started", "{}")); // routed to nothing
    assertThat(woken).hasValue(0);

    store.outbox().enqueue(List.of(new Message("ops", "test", "{}")));
    assertThat(woken).hasValue(1); // before enqueue returned

    store.outbox().route(EVERY_RECORD);
    store.audit().append(entry("key.created", "{}"));
    assertThat(woken).hasValue(2);

    assertThatThrownBy(() -> store.audit().append(entry("key.created", "{\"route\":\"fail\"}")))
        .isInstanceOf(StoreUnavailable.class);
    store.outbox().enqueue(List.of());
    assertThat(woken).hasValue(2);
    assertThat(store.outbox().counts()).containsEntry(State.PENDING, 2L);
  }

  @Test
  void messagesAreStoredAsGivenHostileTextIncluded() {
    String notice = "{\"text\":\"" + "x".repeat(100_000) + "\",\"unknown\":[1]}";
    List<Message> messages =
        List.of(
            new Message("../../etc/passwd", "--", notice),
            new Message("line\nbreak'; DROP TABLE notify_outbox; --", "ev\til", "{}"),
            new Message("emoji 😀", "é", "[]"));

    List<Item> items = store.outbox().enqueue(messages);
    Store other = reopen();

    assertThat(other.outbox().list(Optional.empty(), 10).reversed())
        .extracting(Item::message)
        .containsExactlyElementsOf(messages);
    assertThat(other.outbox().list(Optional.empty(), 10).reversed())
        .isEqualTo(items)
        .extracting(Item::id)
        .doesNotHaveDuplicates();
    assertThat(other.outbox().counts())
        .isEqualTo(Map.of(State.PENDING, 3L, State.DELIVERED, 0L, State.DEAD, 0L));
  }
}
