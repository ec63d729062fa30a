package dev.chatops.store.jdbc;

import dev.chatops.store.Deliveries;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;
import java.util.regex.Pattern;

/** {@link Deliveries} in the {@code seen_deliveries} table (V8), written by the store's writer. */
final class JdbcDeliveries implements Deliveries {

  /** How long a delivery is remembered: GitHub's replays are refused for at least 24 hours. */
  static final Duration KEPT = Duration.ofDays(7);

  private static final Pattern SOURCE = Pattern.compile("^[a-z]{1,16}$");
  private static final int MAX_ID = 128;

  private static final String INSERT =
      "INSERT INTO seen_deliveries (source, id, seen_at) VALUES (?, ?, ?)"
          + " ON CONFLICT (source, id) DO NOTHING";
  private static final String FORGET = "DELETE FROM seen_deliveries WHERE seen_at < ?";

  private final Writer writer;
  private final InstantSource clock;

  JdbcDeliveries(Writer writer, InstantSource clock) {
    this.writer = writer;
    this.clock = clock;
  }

  @Override
  public boolean remember(String source, String id, Instant at) {
    if (!SOURCE.matcher(Objects.requireNonNull(source, "source")).matches()) {
      throw new IllegalArgumentException("not a delivery source: " + source);
    }
    if (Objects.requireNonNull(id, "id").isEmpty() || id.length() > MAX_ID) {
      throw new IllegalArgumentException("a delivery id has 1 to " + MAX_ID + " characters");
    }
    long micros = Columns.micros(Objects.requireNonNull(at, "at"));
    return writer.write(
        tx -> {
          PreparedStatement insert = tx.statement(INSERT);
          insert.setString(1, source);
          insert.setString(2, id);
          insert.setLong(3, micros);
          return insert.executeUpdate() == 1;
        });
  }

  @Override
  public int forget(Instant before) {
    long micros = Columns.micros(Objects.requireNonNull(before, "before"));
    return writer.write(
        tx -> {
          PreparedStatement delete = tx.statement(FORGET);
          delete.setLong(1, micros);
          return delete.executeUpdate();
        });
  }

  /** Forgets what is older than {@link #KEPT}: the store's hourly purge. */
  int purge() {
    return forget(clock.instant().minus(KEPT));
  }
}
