package dev.chatops.notify;

import dev.chatops.config.NotifyChannel;
import dev.chatops.store.AuditEntry;
import dev.chatops.store.AuditKind;
import dev.chatops.store.AuditRecord;
import dev.chatops.store.Outbox;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Which channels hear of each audit record: the record's {@link Notices notice}, sent to every
 * channel that lists its event, a dry run's only to those that also list {@code dry_run}; denials
 * pass through {@link StormControl} first, whose summaries {@link #flush} hands out. {@code test}
 * messages never come from a record ({@code chatops notify test} enqueues its own).
 *
 * <p>Runs on the store's writer thread inside the append's transaction: no I/O, nothing that
 * blocks, and a record that no channel wants is not even read. It never throws: a record it cannot
 * route is left unrouted rather than failing the audit write.
 */
public final class NoticeRouter implements Outbox.Router {

  private final Notices notices;
  private final StormControl storm;
  private final Map<Event, List<String>> listening = new EnumMap<>(Event.class);
  private final Map<Event, List<String>> listeningToDryRuns = new EnumMap<>(Event.class);

  public NoticeRouter(List<NotifyChannel> channels, Optional<URI> publicUrl, StormControl storm) {
    this.notices = new Notices(publicUrl);
    this.storm = storm;
    for (Event event : Event.values()) {
      if (event == Event.TEST || event == Event.DRY_RUN) {
        continue;
      }
      List<String> all = new ArrayList<>();
      List<String> dry = new ArrayList<>();
      for (NotifyChannel channel : channels) {
        if (channel.events().contains(event.key())) {
          all.add(channel.name());
          if (channel.events().contains(Event.DRY_RUN.key())) {
            dry.add(channel.name());
          }
        }
      }
      if (!all.isEmpty()) {
        listening.put(event, List.copyOf(all));
      }
      if (!dry.isEmpty()) {
        listeningToDryRuns.put(event, List.copyOf(dry));
      }
    }
  }

  @Override
  public List<Outbox.Message> route(AuditRecord record, Outbox.Lookup lookup) {
    try {
      AuditEntry entry = record.entry();
      if (!wanted(entry.kind())) {
        return List.of();
      }
      if (entry.kind() == AuditKind.DENIALS_AGGREGATED) {
        aggregated(entry);
        return List.of();
      }
      if (entry.kind() == AuditKind.TRIGGER_DENIED && !admitted(entry)) {
        return List.of();
      }
      Optional<Notices.Read> read = notices.read(record, lookup);
      if (read.isEmpty()) {
        return List.of();
      }
      Notice notice = read.get().notice();
      List<String> channels =
          (read.get().dryRun() ? listeningToDryRuns : listening)
              .getOrDefault(notice.event(), List.of());
      if (channels.isEmpty()) {
        return List.of();
      }
      return messages(notice, channels);
    } catch (RuntimeException e) {
      // A bug here must not fail the audit write it rides in; the record stays in the trail.
      return List.of();
    }
  }

  /**
   * Whether a denial is to be sent one by one: storm control counts it, before its notice is built
   * (under a flood, most are only counted).
   */
  private boolean admitted(AuditEntry entry) {
    Optional<Event> reason =
        Notices.string(Notices.detail(entry).path("reason")).flatMap(Notices::denialEvent);
    return reason.isPresent()
        && listening.containsKey(reason.get())
        && storm.admit(reason.get(), entry.source().orElse("-"), entry.actor());
  }

  /** The storm summaries of every window closed by {@code now}, one message per channel. */
  public List<Outbox.Message> flush(Instant now) {
    return summaries(storm.flush(now));
  }

  /** Every storm summary, the open window's included: at a stop. */
  public List<Outbox.Message> flushAll() {
    return summaries(storm.flushAll());
  }

  private List<Outbox.Message> summaries(List<Notice> summaries) {
    List<Outbox.Message> messages = new ArrayList<>();
    for (Notice summary : summaries) {
      messages.addAll(messages(summary, listening.getOrDefault(summary.event(), List.of())));
    }
    return messages;
  }

  /** Whether any channel could want a notice of {@code kind}, before its detail is read. */
  private boolean wanted(AuditKind kind) {
    return switch (kind) {
      case TRIGGER_DENIED, DENIALS_AGGREGATED ->
          listening.containsKey(Event.AUTH_FAILURE)
              || listening.containsKey(Event.IP_DENIED)
              || listening.containsKey(Event.LABEL_MISMATCH);
      case EXECUTION_FINISHED, EXECUTION_INTERRUPTED ->
          listening.containsKey(Event.EXECUTION_FAILED)
              || listening.containsKey(Event.EXECUTION_SUCCEEDED)
              || listening.containsKey(Event.ROLLED_BACK);
      case APPROVAL_REQUESTED -> listening.containsKey(Event.APPROVAL_REQUESTED);
      case APPROVAL_GRANTED -> listening.containsKey(Event.APPROVAL_APPROVED);
      case APPROVAL_DENIED -> listening.containsKey(Event.APPROVAL_DENIED);
      case APPROVAL_EXPIRED -> listening.containsKey(Event.APPROVAL_EXPIRED);
      case SERVICE_STARTED -> listening.containsKey(Event.SERVICE_STARTED);
      case SERVICE_STOPPED -> listening.containsKey(Event.SERVICE_STOPPED);
      case TRIGGER_ACCEPTED,
          EXECUTION_STARTED,
          KEY_CREATED,
          KEY_REVOKED,
          WITNESS_CREATED,
          AUDIT_PRUNED,
          HOOK_RECEIVED,
          CHAT_COMMAND,
          UI_SIGNED_IN,
          UI_SIGNED_OUT,
          UI_SESSION_ENDED ->
          false;
    };
  }

  /**
   * A {@code denials.aggregated} record (store.jdbc.Denials: source, reason, count, actors): its
   * count joins the storm's window. The store's overflow record (source and reason {@code *}) names
   * no reason and is left out.
   */
  private void aggregated(AuditEntry entry) {
    JsonNode detail = Notices.detail(entry);
    Optional<Event> reason = Notices.string(detail.path("reason")).flatMap(Notices::denialEvent);
    Optional<String> network = Notices.string(detail.path("source")).or(entry::source);
    JsonNode count = detail.path("count");
    if (reason.isEmpty()
        || !listening.containsKey(reason.get())
        || network.isEmpty()
        || !count.isIntegralNumber()) {
      return;
    }
    List<String> actors = new ArrayList<>();
    for (JsonNode actor : detail.path("actors")) {
      Notices.string(actor).ifPresent(actors::add);
    }
    storm.aggregated(reason.get(), network.get(), count.asLong(), actors);
  }

  private static List<Outbox.Message> messages(Notice notice, List<String> channels) {
    String json = NoticeJson.write(notice);
    List<Outbox.Message> messages = new ArrayList<>(channels.size());
    for (String channel : channels) {
      messages.add(new Outbox.Message(channel, notice.event().key(), json));
    }
    return messages;
  }
}
