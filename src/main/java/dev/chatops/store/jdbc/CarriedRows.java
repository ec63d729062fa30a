package dev.chatops.store.jdbc;

import dev.chatops.store.AuditRecord;
import dev.chatops.store.jdbc.RowCheck.Entity;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.ObjectNode;

/**
 * The rows that stay while the records about them are pruned (API keys created long ago): their
 * state as those records leave it, which the checkpoint carries so that {@link RowCheck} still has
 * each row's last state. Fed the records to prune in order; keeps only those about rows.
 */
final class CarriedRows {

  private final Map<Entity, List<AuditRecord>> about = new LinkedHashMap<>();

  /** Notes {@code record} (one to prune) if it changes a row. */
  void track(AuditRecord record) {
    ObjectNode detail;
    try {
      detail = Canonical.object(record.entry().detail(), "detail of record " + record.seq());
    } catch (IllegalArgumentException e) {
      return; // the chain was verified before pruning; nothing to carry from it
    }
    for (ChainSays.Change change : ChainSays.changes(record.entry(), detail)) {
      ChainSays.track(about, change, record);
    }
  }

  /**
   * Each row that the tables still hold, but for the executions pruned, as the tracked records
   * leave it, in the order of its first record.
   */
  List<ObjectNode> rows(Connection connection, Collection<String> prunedExecutions)
      throws SQLException {
    List<ObjectNode> rows = new ArrayList<>();
    for (Map.Entry<Entity, List<AuditRecord>> entry : about.entrySet()) {
      Entity entity = entry.getKey();
      boolean keys = entity.table().equals(RowCheck.API_KEYS);
      if (!keys && prunedExecutions.contains(entity.key())) {
        continue; // pruned with its records
      }
      String sql =
          keys
              ? "SELECT " + JdbcKeys.COLUMNS + " FROM api_keys WHERE name = ?"
              : ExecutionRows.SELECT_ONE;
      try (PreparedStatement select = connection.prepareStatement(sql)) {
        select.setString(1, entity.key());
        try (ResultSet row = select.executeQuery()) {
          if (!row.next()) {
            continue; // pruned with its records
          }
          ObjectNode stored =
              keys
                  ? JdbcKeys.row(JdbcKeys.read(row), "")
                  : ExecutionRows.row(ExecutionRows.read(row), "");
          ChainSays says = new ChainSays(entity, disagreement -> {});
          entry.getValue().forEach(says::apply);
          rows.add(says.carried(stored));
        }
      }
    }
    return List.copyOf(rows);
  }
}
