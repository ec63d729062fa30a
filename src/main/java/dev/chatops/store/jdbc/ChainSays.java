package dev.chatops.store.jdbc;

import dev.chatops.store.AuditEntry;
import dev.chatops.store.AuditKind;
import dev.chatops.store.AuditRecord;
import dev.chatops.store.ExecutionStatus;
import dev.chatops.store.jdbc.RowCheck.Entity;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.NullNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What the audit chain says of one row, record after record, and where the row as stored disagrees.
 *
 * <p>A record with a {@code row} states every column. A record from before rows were added states
 * what its kind and detail tell: {@code trigger.accepted} the actor, source, intent, dry-run flag,
 * parameters, labels, reference and status; {@code execution.started} the status {@code running}
 * and that a start time is set; {@code execution.finished} the status, summary and that an end time
 * is set; {@code execution.interrupted} likewise; {@code key.created} the name, prefix, intents,
 * dry-run flag and that it is not revoked; {@code key.revoked} that it is. A key whose records do
 * not state its approval scope ({@code approve}, from before keys could approve) approves nothing,
 * and one whose records do not state {@code ui} (from before the dashboard) may not sign in.
 *
 * <p>The records must also agree with one another as the store writes them: what an execution was
 * accepted with and when it started, and what a key was created with and when it was revoked, never
 * change afterwards, and an execution that has ended changes no more. A row edited between two
 * changes, and then copied into the chain by the second, is found so.
 */
final class ChainSays {

  /** A change a record makes to a row; {@code row} when the record states the whole row. */
  record Change(Entity entity, String change, Optional<ObjectNode> row) {
    /** Whether the change makes the row anew (a replaced key is a new row of the same name). */
    boolean creates() {
      return change.equals("accepted") || change.equals("created") || change.equals(CARRIED);
    }
  }

  /**
   * The change of a row carried by a checkpoint of pruned records: its state as the pruned records
   * left it, from which its history goes on.
   */
  static final String CARRIED = "carried";

  /**
   * Columns of an execution that a change never alters once they hold a value. A key's row never
   * changes but for its revocation, once: all its columns are stable.
   */
  private static final List<String> STABLE_EXECUTION =
      List.of(
          "intent",
          "action",
          "dry_run",
          "actor",
          "source",
          "params",
          "labels",
          "ref",
          "requested_at",
          "started_at",
          "approvals_required",
          "approval_deadline");

  private final Entity entity;
  private final Consumer<String> disagree;
  private final ObjectNode fields = JsonNodeFactory.instance.objectNode();
  private final Map<String, Long> from = new HashMap<>();

  /** Columns older records say are set, without their value; with the record that says so. */
  private final Map<String, Long> set = new LinkedHashMap<>();

  ChainSays(Entity entity, Consumer<String> disagree) {
    this.entity = entity;
    this.disagree = disagree;
  }

  /**
   * The rows {@code entry} (with its parsed {@code detail}) changes: at most one, but for a
   * checkpoint of pruned records, which carries the state of every row whose history it cut ({@link
   * Pruning}).
   */
  static List<Change> changes(AuditEntry entry, ObjectNode detail) {
    if (entry.kind() != AuditKind.AUDIT_PRUNED) {
      return change(entry, detail).stream().toList();
    }
    List<Change> carried = new ArrayList<>();
    for (JsonNode row : detail.path(Pruning.ROWS).values()) {
      if (row instanceof ObjectNode object) {
        rowChange(object).filter(change -> change.change().equals(CARRIED)).ifPresent(carried::add);
      }
    }
    return carried;
  }

  /**
   * Adds {@code record} to the records about its row in {@code about}, in the order to apply them:
   * the chain's, but a row carried by a checkpoint goes first, as the state the pruned records left
   * before every record after them (which the chain holds before the checkpoint).
   */
  static void track(Map<Entity, List<AuditRecord>> about, Change change, AuditRecord record) {
    List<AuditRecord> records = about.computeIfAbsent(change.entity(), entity -> new ArrayList<>());
    if (change.change().equals(CARRIED)) {
      records.addFirst(record);
    } else {
      records.add(record);
    }
  }

  private static Optional<Change> rowChange(ObjectNode row) {
    String table = row.path("table").asString("");
    String key = row.path(table.equals(RowCheck.API_KEYS) ? "name" : "id").asString("");
    String change = row.path("change").asString("");
    if ((table.equals(RowCheck.EXECUTIONS) || table.equals(RowCheck.API_KEYS))
        && !key.isEmpty()
        && !change.isEmpty()) {
      return Optional.of(new Change(new Entity(table, key), change, Optional.of(row)));
    }
    return Optional.empty();
  }

  /** The row {@code entry} (with its parsed {@code detail}) changes, if any, and how. */
  private static Optional<Change> change(AuditEntry entry, ObjectNode detail) {
    if (detail.get(Canonical.ROW) instanceof ObjectNode row) {
      return rowChange(row).filter(change -> !change.change().equals(CARRIED));
    }
    AuditKind kind = entry.kind();
    String change =
        switch (kind) {
          case TRIGGER_ACCEPTED -> "accepted";
          case EXECUTION_STARTED -> "started";
          case EXECUTION_FINISHED -> "finished";
          case EXECUTION_INTERRUPTED -> "interrupted";
          case KEY_CREATED -> "created";
          case KEY_REVOKED -> "revoked";
          // Approval records are younger than rows: they always carry one.
          case TRIGGER_DENIED,
              APPROVAL_REQUESTED,
              APPROVAL_GRANTED,
              APPROVAL_DENIED,
              APPROVAL_EXPIRED,
              DENIALS_AGGREGATED,
              SERVICE_STARTED,
              SERVICE_STOPPED,
              WITNESS_CREATED,
              AUDIT_PRUNED,
              HOOK_RECEIVED,
              CHAT_COMMAND,
              UI_SIGNED_IN,
              UI_SIGNED_OUT,
              UI_SESSION_ENDED ->
              "";
        };
    if (change.isEmpty()) {
      return Optional.empty();
    }
    if (kind == AuditKind.KEY_CREATED || kind == AuditKind.KEY_REVOKED) {
      return Optional.of(detail.path("name").asString(""))
          .filter(name -> !name.isEmpty())
          .map(name -> new Change(new Entity(RowCheck.API_KEYS, name), change, Optional.empty()));
    }
    return entry
        .executionId()
        .map(id -> new Change(new Entity(RowCheck.EXECUTIONS, id), change, Optional.empty()));
  }

  /** Applies the next record about this row. */
  void apply(AuditRecord record) {
    ObjectNode detail;
    try {
      detail = Canonical.object(record.entry().detail(), "detail");
    } catch (IllegalArgumentException e) {
      return; // the walk has reported it
    }
    Optional<Change> found =
        changes(record.entry(), detail).stream()
            .filter(change -> change.entity().equals(entity))
            .findFirst();
    if (found.isEmpty()) {
      return;
    }
    Change change = found.get();
    long seq = record.seq();
    if (!change.creates()) {
      endedBefore(seq);
    }
    if (change.row().isPresent()) {
      ObjectNode row = change.row().get();
      if (!change.creates()) {
        stableColumns(row, seq);
      }
      fields.removeAll();
      from.clear();
      set.clear();
      for (Map.Entry<String, JsonNode> column : row.properties()) {
        if (!column.getKey().equals("table") && !column.getKey().equals("change")) {
          put(column.getKey(), column.getValue(), seq);
        }
      }
      approvesNothingUnlessSaid(seq);
    } else {
      derive(change.change(), record.entry(), detail, seq);
    }
  }

  private void endedBefore(long seq) {
    JsonNode status = fields.get("status");
    if (entity.table().equals(RowCheck.EXECUTIONS)
        && status != null
        && status.isString()
        && ExecutionStatus.ofKey(status.stringValue()).map(ExecutionStatus::ended).orElse(true)) {
      disagree.accept(
          entity.label()
              + ": record "
              + seq
              + " changes it after it ended (record "
              + from.get("status")
              + ")");
    }
  }

  private void stableColumns(ObjectNode row, long seq) {
    List<String> stable =
        entity.table().equals(RowCheck.EXECUTIONS)
            ? STABLE_EXECUTION
            : List.copyOf(fields.propertyNames());
    for (String column : stable) {
      JsonNode before = fields.get(column);
      JsonNode after = row.get(column);
      if (before != null && !before.isNull() && !before.equals(after)) {
        disagree.accept(
            entity.label()
                + ": "
                + column
                + " changed from "
                + RowCheck.show(before)
                + " (record "
                + from.get(column)
                + ") to "
                + RowCheck.show(after)
                + " (record "
                + seq
                + "), which the store never does");
      }
    }
  }

  /** What a record without a row says, by its kind. */
  private void derive(String change, AuditEntry entry, ObjectNode detail, long seq) {
    switch (change) {
      case "accepted" -> {
        clear();
        put("actor", text(entry.actor()), seq);
        entry.source().ifPresent(source -> put("source", text(source), seq));
        entry.intent().ifPresent(intent -> put("intent", text(intent), seq));
        copy(detail, seq, "dry_run", "params", "labels", "ref", "status");
      }
      case "started" -> {
        put("status", text("running"), seq);
        isSet("started_at", seq);
      }
      case "finished" -> {
        copy(detail, seq, "status", "summary");
        isSet("ended_at", seq);
        unknown("report_sha256");
      }
      case "interrupted" -> {
        put("status", text("interrupted"), seq);
        JsonNode reason = detail.get("reason");
        if (reason != null && reason.isString()) {
          put("summary", reason, seq);
        }
        isSet("ended_at", seq);
      }
      case "created" -> {
        clear();
        put("name", text(entity.key()), seq);
        copy(detail, seq, "prefix", "intents", "dry_run_only");
        put("revoked_at", NullNode.getInstance(), seq);
        approvesNothingUnlessSaid(seq);
      }
      case "revoked" -> isSet("revoked_at", seq);
      default -> {
        // a change this version does not know says nothing it can check
      }
    }
  }

  /**
   * A key whose records do not state {@code approve} was made before keys could approve: it
   * approves nothing, so a table that says otherwise was edited (a scope granted by hand).
   */
  private void approvesNothingUnlessSaid(long seq) {
    if (entity.table().equals(RowCheck.API_KEYS) && !fields.has("approve")) {
      put("approve", JsonNodeFactory.instance.arrayNode(), seq);
    }
    // Likewise a key whose records do not state {@code ui} was made before the dashboard.
    if (entity.table().equals(RowCheck.API_KEYS) && !fields.has("ui")) {
      put("ui", JsonNodeFactory.instance.booleanNode(false), seq);
    }
  }

  private void clear() {
    fields.removeAll();
    from.clear();
    set.clear();
  }

  private void put(String column, JsonNode value, long seq) {
    fields.set(column, value);
    from.put(column, seq);
    set.remove(column);
  }

  private void copy(ObjectNode detail, long seq, String... columns) {
    for (String column : columns) {
      JsonNode value = detail.get(column);
      if (value != null && !value.isNull()) {
        put(column, value, seq);
      }
    }
  }

  private void isSet(String column, long seq) {
    unknown(column);
    set.put(column, seq);
  }

  private void unknown(String column) {
    fields.remove(column);
    from.remove(column);
  }

  private static JsonNode text(String value) {
    return JsonNodeFactory.instance.stringNode(value);
  }

  /**
   * The row as the records applied so far leave it, for a checkpoint to carry once they are pruned.
   * A column that older records say is set, without its value, is carried with the value {@code
   * stored} (the row as the table holds it, verified before pruning) gives it.
   */
  ObjectNode carried(ObjectNode stored) {
    ObjectNode row = JsonNodeFactory.instance.objectNode();
    row.put("table", entity.table());
    row.put("change", CARRIED);
    for (Map.Entry<String, JsonNode> column : fields.properties()) {
      row.set(column.getKey(), column.getValue());
    }
    for (String column : set.keySet()) {
      JsonNode value = stored.get(column);
      if (value != null && !value.isNull()) {
        row.set(column, value);
      }
    }
    row.put(entity.table().equals(RowCheck.API_KEYS) ? "name" : "id", entity.key());
    return row;
  }

  /** Compares the row as stored ({@code stored}, in the form of a record's row) with the chain. */
  void compare(ObjectNode stored) {
    for (Map.Entry<String, JsonNode> column : fields.properties()) {
      JsonNode chain = column.getValue();
      JsonNode table = stored.get(column.getKey());
      if (table == null) {
        table = NullNode.getInstance();
      }
      if (table.equals(chain)) {
        continue;
      }
      long seq = from.get(column.getKey());
      if (table.isNull()) {
        disagree.accept(
            entity.label()
                + ": "
                + column.getKey()
                + " cleared ("
                + RowCheck.show(chain)
                + " in the chain, record "
                + seq
                + ")");
      } else {
        disagree.accept(
            entity.label()
                + ": "
                + column.getKey()
                + " is "
                + RowCheck.show(table)
                + " in the table but "
                + RowCheck.show(chain)
                + " in the chain (record "
                + seq
                + ")");
      }
    }
    set.forEach(
        (column, seq) -> {
          JsonNode table = stored.get(column);
          if (table == null || table.isNull()) {
            disagree.accept(
                entity.label() + ": " + column + " cleared (set in record " + seq + ")");
          }
        });
  }
}
