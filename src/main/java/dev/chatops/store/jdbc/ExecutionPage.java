package dev.chatops.store.jdbc;

import dev.chatops.store.ExecutionQuery;
import dev.chatops.store.ExecutionRecord;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One {@link ExecutionQuery} as SQL that SQLite and PostgreSQL both run: the intent globs as {@code
 * LIKE} patterns ({@code *} as {@code %}, {@code ?} as {@code _}; neither {@code %} nor {@code _}
 * can occur in a glob or an intent name, so nothing needs escaping), the position as a keyset
 * condition on {@code (requested_at, id)}, which the {@code executions_recent} index serves in
 * order, and one row more than the limit to tell whether a next page exists. The filter's exact
 * matches on intent, status and actor are served by the {@code executions_by_*} indexes ({@code
 * V10}), which hold {@code (requested_at, id)} after the matched column, so a filtered page is read
 * in order too, however rare its matches.
 */
record ExecutionPage(ExecutionQuery query, String sql) {

  static ExecutionPage of(ExecutionQuery query) {
    StringBuilder sql =
        new StringBuilder("SELECT ")
            .append(ExecutionRows.COLUMNS)
            .append(" FROM executions WHERE requested_at < ?");
    if (query.after().isPresent()) {
      sql.append(" AND (requested_at < ? OR (requested_at = ? AND id < ?))");
    }
    if (!query.allIntents()) {
      sql.append(" AND (");
      for (int i = 0; i < query.intents().size(); i++) {
        sql.append(i == 0 ? "" : " OR ").append("intent LIKE ?");
      }
      sql.append(')');
    }
    ExecutionQuery.Filter filter = query.filter();
    filter
        .names()
        .ifPresent(
            names -> {
              if (names.isEmpty()) {
                sql.append(" AND 1 = 0");
              } else {
                sql.append(" AND intent IN (").append("?, ".repeat(names.size() - 1)).append("?)");
              }
            });
    filter.status().ifPresent(status -> sql.append(" AND status = ?"));
    filter.actor().ifPresent(actor -> sql.append(" AND actor = ?"));
    sql.append(" ORDER BY requested_at DESC, id DESC LIMIT ?");
    return new ExecutionPage(query, sql.toString());
  }

  void bind(PreparedStatement select) throws SQLException {
    int index = 1;
    select.setLong(index++, query.before().map(Columns::micros).orElse(Long.MAX_VALUE));
    if (query.after().isPresent()) {
      ExecutionQuery.Position after = query.after().get();
      long micros = Columns.micros(after.requestedAt());
      select.setLong(index++, micros);
      select.setLong(index++, micros);
      select.setString(index++, after.id());
    }
    if (!query.allIntents()) {
      for (String glob : query.intents()) {
        select.setString(index++, glob.replace('*', '%').replace('?', '_'));
      }
    }
    ExecutionQuery.Filter filter = query.filter();
    if (filter.names().isPresent()) {
      for (String name : filter.names().get().stream().sorted().toList()) {
        select.setString(index++, name);
      }
    }
    if (filter.status().isPresent()) {
      select.setString(index++, filter.status().get().key());
    }
    if (filter.actor().isPresent()) {
      select.setString(index++, filter.actor().get());
    }
    select.setInt(index, query.limit() + 1);
  }

  /** The page of the rows read: at most the limit, and where the next starts if there are more. */
  ExecutionQuery.Page of(List<ExecutionRecord> rows) {
    if (rows.size() <= query.limit()) {
      return new ExecutionQuery.Page(rows, Optional.empty());
    }
    List<ExecutionRecord> page = new ArrayList<>(rows.subList(0, query.limit()));
    ExecutionRecord last = page.getLast();
    return new ExecutionQuery.Page(
        page, Optional.of(new ExecutionQuery.Position(last.requestedAt(), last.id())));
  }
}
