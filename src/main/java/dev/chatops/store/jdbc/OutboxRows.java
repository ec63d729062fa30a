package dev.chatops.store.jdbc;

import dev.chatops.store.Outbox.Item;
import dev.chatops.store.Outbox.Message;
import dev.chatops.store.Outbox.State;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Outbox items as rows of the {@code notify_outbox} table (V7). */
final class OutboxRows {

  static final String COLUMNS =
      "id, channel, event, notice, audit_seq, created_at, state, attempts, next_attempt,"
          + " last_error, ended_at, lease_owner, lease_until";

  /** The longest error text kept: enough to tell what a service answered, not its whole page. */
  static final int ERROR_LIMIT = 500;

  private static final String INSERT =
      "INSERT INTO notify_outbox (id, channel, event, notice, audit_seq, created_at, state,"
          + " attempts, next_attempt) VALUES (?, ?, ?, ?, ?, ?, 'pending', 0, ?)";

  private OutboxRows() {}

  /**
   * Inserts {@code messages} as pending items created and due {@code at}, with ids taken from the
   * {@code notify_outbox} counter of {@code store_versions} (never reused, see {@link
   * WriteTx#takeOutboxIds}), and counts them in {@code tx}.
   */
  static List<Item> insert(WriteTx tx, List<Message> messages, Optional<Long> auditSeq, Instant at)
      throws SQLException {
    Instant created = Columns.truncate(at);
    long id = tx.takeOutboxIds(messages.size());
    PreparedStatement insert = tx.statement(INSERT);
    List<Item> items = new ArrayList<>(messages.size());
    for (Message message : messages) {
      insert.setLong(1, id);
      insert.setString(2, message.channel());
      insert.setString(3, message.event());
      insert.setString(4, message.notice());
      if (auditSeq.isPresent()) {
        insert.setLong(5, auditSeq.get());
      } else {
        insert.setNull(5, Types.BIGINT);
      }
      insert.setLong(6, Columns.micros(created));
      insert.setLong(7, Columns.micros(created));
      insert.executeUpdate();
      items.add(
          new Item(
              id,
              message,
              auditSeq,
              created,
              State.PENDING,
              0,
              created,
              Optional.empty(),
              Optional.empty(),
              Optional.empty(),
              Optional.empty()));
      id++;
    }
    tx.addedToOutbox(items.size());
    return List.copyOf(items);
  }

  static Item read(ResultSet row) throws SQLException {
    long seq = row.getLong("audit_seq");
    Optional<Long> auditSeq = row.wasNull() ? Optional.empty() : Optional.of(seq);
    return new Item(
        row.getLong("id"),
        new Message(row.getString("channel"), row.getString("event"), row.getString("notice")),
        auditSeq,
        Columns.instant(row.getLong("created_at")),
        state(row.getString("state")),
        row.getInt("attempts"),
        Columns.instant(row.getLong("next_attempt")),
        Columns.optionalText(row, "last_error"),
        Columns.optional(row, "ended_at"),
        Columns.optionalText(row, "lease_owner"),
        Columns.optional(row, "lease_until"));
  }

  /** A state as the column holds it; the table's check admits no other. */
  static State state(String key) {
    return State.ofKey(key)
        .orElseThrow(() -> new IllegalStateException("unknown outbox state: " + key));
  }

  /**
   * {@code error} cut to {@link #ERROR_LIMIT} characters with an ellipsis, never between the two
   * halves of a surrogate pair.
   */
  static String cut(String error) {
    if (error.length() <= ERROR_LIMIT) {
      return error;
    }
    int end = ERROR_LIMIT - 1;
    if (Character.isHighSurrogate(error.charAt(end - 1))) {
      end--;
    }
    return error.substring(0, end) + "…";
  }
}
