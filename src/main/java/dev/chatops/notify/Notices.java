package dev.chatops.notify;

import dev.chatops.store.AuditEntry;
import dev.chatops.store.AuditKind;
import dev.chatops.store.AuditRecord;
import dev.chatops.store.ExecutionRecord;
import dev.chatops.store.ExecutionStatus;
import dev.chatops.store.Outbox;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.MissingNode;

/**
 * What an audit record tells the team, as a channel-neutral {@link Notice} (id {@code audit-SEQ}):
 *
 * <ul>
 *   <li>{@code trigger.denied} with reason {@code auth_failure}, {@code ip_denied} or {@code
 *       label_mismatch}: that event, naming the source, the key name (never more: the detail of an
 *       authentication failure is the gate's own words, such as "unknown key", and anything shaped
 *       like a key is cut to its listed prefix all the same) and, for a label mismatch, the intent;
 *   <li>{@code execution.finished}: {@code execution_succeeded}, {@code rolled_back}, or {@code
 *       execution_failed} (failed, interrupted, cancelled, and a status that cannot be read), with
 *       the summary, intent, stacks, actor, source, pull request, duration and status; failed and
 *       rolled back ones show the failing step's output (redacted by the engine), its last 500
 *       characters; {@code execution.interrupted} (an execution a stopped process left) is {@code
 *       execution_failed} too;
 *   <li>{@code approval.requested}, {@code approval.granted} (each approval, {@code
 *       approval_approved}), {@code approval.denied}, {@code approval.expired}: with the count of
 *       approvals and the deadline;
 *   <li>{@code service.started} and {@code service.stopped}: with the record's own number and hash,
 *       which is the chain's head at that moment (an off-host copy of it), and the port.
 * </ul>
 *
 * Execution notices link to {@code PUBLIC_URL/api/v1/executions/ID} when a public URL is set.
 *
 * <p>No notice: {@code trigger.accepted} and {@code execution.started} (the end tells the outcome),
 * denials for other reasons ({@code rate_limited}, {@code unknown_intent}, {@code scope}, {@code
 * invalid_params}...: a caller's mistakes and budgets, seen in the audit trail), a denial whose
 * reason cannot be read, {@code denials.aggregated} (counted by {@link StormControl}), {@code
 * key.*} and {@code audit.*} (an operator's own actions).
 *
 * <p>Never throws: it runs inside the store's write transaction, where an exception would fail the
 * audit write. A detail that cannot be read gives a minimal notice of the record's kind (or none,
 * for a denial whose reason is unknown).
 */
public final class Notices {

  private static final ObjectMapper JSON = JsonMapper.builder().build();

  /** A key ({@code chk_} and 43 characters) or anything that starts like one. */
  private static final Pattern KEY_SHAPED = Pattern.compile("chk_[A-Za-z0-9_-]{9,}");

  /** Characters of the key listings show ({@code policy.ApiKeys.PREFIX_LENGTH}). */
  private static final int KEY_PREFIX = 12;

  private static final int MAX_TEXT = 2_000;
  private static final int MAX_FIELD = 256;

  private final Optional<String> publicUrl;

  /** A notice and whether it concerns a dry run. */
  record Read(Notice notice, boolean dryRun) {}

  /**
   * @param publicUrl {@code server.public_url}, for links to executions
   */
  public Notices(Optional<URI> publicUrl) {
    this.publicUrl = publicUrl.map(url -> strip(url.toString()));
  }

  /** The notice {@code record} makes, if any; never throws. */
  public Optional<Notice> of(AuditRecord record, Outbox.Lookup lookup) {
    return read(record, lookup).map(Read::notice);
  }

  Optional<Read> read(AuditRecord record, Outbox.Lookup lookup) {
    try {
      return build(record, lookup);
    } catch (RuntimeException e) {
      // A detail of an unexpected shape: say what the record is without it.
      return minimal(record, lookup);
    }
  }

  private Optional<Read> build(AuditRecord record, Outbox.Lookup lookup) {
    AuditEntry entry = record.entry();
    return switch (entry.kind()) {
      case TRIGGER_DENIED -> denial(record, detail(entry)).map(notice -> new Read(notice, false));
      case EXECUTION_FINISHED -> Optional.of(finished(record, detail(entry), row(entry, lookup)));
      case EXECUTION_INTERRUPTED ->
          Optional.of(interrupted(record, detail(entry), row(entry, lookup)));
      case APPROVAL_REQUESTED, APPROVAL_GRANTED, APPROVAL_DENIED, APPROVAL_EXPIRED ->
          Optional.of(ApprovalNotices.notice(this, record, detail(entry), row(entry, lookup)));
      case SERVICE_STARTED, SERVICE_STOPPED -> Optional.of(new Read(service(record), false));
      case TRIGGER_ACCEPTED,
          EXECUTION_STARTED,
          DENIALS_AGGREGATED,
          KEY_CREATED,
          KEY_REVOKED,
          WITNESS_CREATED,
          AUDIT_PRUNED,
          HOOK_RECEIVED,
          CHAT_COMMAND,
          UI_SIGNED_IN,
          UI_SIGNED_OUT,
          UI_SESSION_ENDED ->
          Optional.empty();
    };
  }

  /** The event a denial's reason makes, if it makes one. */
  static Optional<Event> denialEvent(String reason) {
    return switch (reason) {
      // A forged, stale or replayed signature is a failed authentication, as a bad key is.
      case "auth_failure", "bad_signature" -> Optional.of(Event.AUTH_FAILURE);
      case "ip_denied" -> Optional.of(Event.IP_DENIED);
      case "label_mismatch" -> Optional.of(Event.LABEL_MISMATCH);
      default -> Optional.empty();
    };
  }

  private Optional<Notice> denial(AuditRecord record, JsonNode detail) {
    AuditEntry entry = record.entry();
    Optional<Event> event = string(detail.path("reason")).flatMap(Notices::denialEvent);
    if (event.isEmpty()) {
      return Optional.empty();
    }
    String source = entry.source().orElse("unknown source");
    Optional<String> intent = string(detail.path("intent")).or(entry::intent);
    String title =
        switch (event.get()) {
          case AUTH_FAILURE -> "Authentication failure from " + source;
          case IP_DENIED -> "Source address denied: " + source;
          default -> "Label mismatch: " + intent.orElse("unknown intent");
        };
    // The gate writes "detail" (its own words), the admission "message" (about the intent).
    String text = string(detail.path("detail")).or(() -> string(detail.path("message"))).orElse("");
    List<Notice.Field> fields = new ArrayList<>();
    intent.ifPresent(name -> fields.add(field("intent", name)));
    if (!entry.actor().equals("-")) {
      fields.add(field("actor", entry.actor()));
    }
    fields.add(field("source", source));
    return Optional.of(notice(record, event.get(), title, text, fields, Optional.empty(), false));
  }

  private Read finished(AuditRecord record, JsonNode detail, Optional<ExecutionRecord> row) {
    JsonNode report = detail.path("report");
    Optional<ExecutionStatus> status =
        string(detail.path("status"))
            .flatMap(ExecutionStatus::ofKey)
            .or(() -> row.map(ExecutionRecord::status));
    boolean dryRun =
        row.map(ExecutionRecord::dryRun)
            .orElse(report.path("dry_run").isBoolean() && report.path("dry_run").asBoolean());
    Event event = status.map(Notices::finishedEvent).orElse(Event.EXECUTION_FAILED);
    String intent = intent(record, row);
    String outcome =
        status
            .map(
                value ->
                    switch (value) {
                      case SUCCEEDED -> "succeeded";
                      case ROLLED_BACK -> "rolled back";
                      case INTERRUPTED -> "interrupted";
                      case CANCELLED -> "cancelled";
                      default -> "failed";
                    })
            .orElse("ended (status unknown)");
    String title = (dryRun ? "Dry run " : "Execution ") + outcome + ": " + intent;
    String text =
        string(detail.path("summary")).or(() -> row.map(ExecutionRecord::summary)).orElse("");
    List<Notice.Field> fields = executionFields(record, row, intent);
    ReportFacts.stacks(report).ifPresent(stacks -> fields.add(1, field("stack", stacks)));
    duration(row, report).ifPresent(took -> fields.add(field("duration", took)));
    status.ifPresent(value -> fields.add(field("status", value.key())));
    Optional<String> code =
        event == Event.EXECUTION_SUCCEEDED
            ? Optional.empty()
            : ReportFacts.failingOutput(report).map(Notices::safe);
    return new Read(notice(record, event, title, text, fields, code, true), dryRun);
  }

  private static Event finishedEvent(ExecutionStatus status) {
    return switch (status) {
      case SUCCEEDED -> Event.EXECUTION_SUCCEEDED;
      case ROLLED_BACK -> Event.ROLLED_BACK;
      default -> Event.EXECUTION_FAILED;
    };
  }

  private Read interrupted(AuditRecord record, JsonNode detail, Optional<ExecutionRecord> row) {
    String intent = intent(record, row);
    String text = string(detail.path("reason")).orElse("the process that ran it stopped");
    List<Notice.Field> fields = executionFields(record, row, intent);
    fields.add(field("status", ExecutionStatus.INTERRUPTED.key()));
    boolean dryRun = row.map(ExecutionRecord::dryRun).orElse(false);
    return new Read(
        notice(
            record,
            Event.EXECUTION_FAILED,
            "Execution interrupted: " + intent,
            text,
            fields,
            Optional.empty(),
            true),
        dryRun);
  }

  private Notice service(AuditRecord record) {
    boolean started = record.entry().kind() == AuditKind.SERVICE_STARTED;
    List<Notice.Field> fields = new ArrayList<>();
    fields.add(field("audit head", "#" + record.seq() + " " + record.hash()));
    Optional<String> port = Optional.empty();
    if (started) {
      JsonNode value = detail(record.entry()).path("port");
      port = value.isIntegralNumber() ? Optional.of(value.asString()) : Optional.empty();
      port.ifPresent(number -> fields.add(field("port", number)));
    }
    // Said as `chatops audit verify --expect` takes it, so the copy in the chat can be checked.
    String text =
        "Audit head: #"
            + record.seq()
            + " "
            + record.hash()
            + port.map(number -> "; listening on port " + number).orElse("")
            + ". Check it later with: chatops audit verify --expect "
            + record.seq()
            + ":"
            + record.hash();
    return notice(
        record,
        started ? Event.SERVICE_STARTED : Event.SERVICE_STOPPED,
        started ? "ChatOps started" : "ChatOps stopped",
        text,
        fields,
        Optional.empty(),
        false);
  }

  /** Intent, actor (who asked), source and pull request of an execution. */
  List<Notice.Field> executionFields(
      AuditRecord record, Optional<ExecutionRecord> row, String intent) {
    List<Notice.Field> fields = new ArrayList<>();
    fields.add(field("intent", intent));
    fields.add(field("actor", row.map(ExecutionRecord::actor).orElse(record.entry().actor())));
    row.map(ExecutionRecord::source)
        .or(() -> record.entry().source())
        .ifPresent(source -> fields.add(field("source", source)));
    row.flatMap(execution -> pullRequest(execution.ref()))
        .ifPresent(ref -> fields.add(field("pull request", ref)));
    return fields;
  }

  /** {@code owner/repo#12}, {@code owner/repo@abc1234}, or a bare commit. */
  static Optional<String> pullRequest(Map<String, String> ref) {
    String repo = ref.getOrDefault("repo", "");
    String pr = ref.getOrDefault("pr", "");
    String sha = ref.getOrDefault("sha", "");
    String shortSha = sha.length() > 12 ? sha.substring(0, 12) : sha;
    if (!pr.isEmpty()) {
      return Optional.of(repo + "#" + pr + (shortSha.isEmpty() ? "" : " (" + shortSha + ")"));
    }
    if (!repo.isEmpty()) {
      return Optional.of(shortSha.isEmpty() ? repo : repo + "@" + shortSha);
    }
    return shortSha.isEmpty() ? Optional.empty() : Optional.of(shortSha);
  }

  private static Optional<String> duration(Optional<ExecutionRecord> row, JsonNode report) {
    Optional<Duration> took =
        row.flatMap(
            execution ->
                execution
                    .endedAt()
                    .map(
                        ended ->
                            Duration.between(
                                execution.startedAt().orElse(execution.requestedAt()), ended)));
    JsonNode millis = report.path("duration_ms");
    if (took.isEmpty() && millis.isIntegralNumber()) {
      took = Optional.of(Duration.ofMillis(millis.asLong()));
    }
    return took.filter(value -> !value.isNegative()).map(Notices::human);
  }

  /** {@code 850 ms}, {@code 12 s}, {@code 3 min 5 s}, {@code 2 h 1 min}. */
  static String human(Duration duration) {
    long millis = duration.toMillis();
    if (millis < 1_000) {
      return millis + " ms";
    }
    long seconds = duration.toSeconds();
    if (seconds < 60) {
      return seconds + " s";
    }
    if (seconds < 3_600) {
      return seconds / 60 + " min " + seconds % 60 + " s";
    }
    return seconds / 3_600 + " h " + seconds % 3_600 / 60 + " min";
  }

  String intent(AuditRecord record, Optional<ExecutionRecord> row) {
    return record
        .entry()
        .intent()
        .or(() -> row.map(ExecutionRecord::intent))
        .orElse("unknown intent");
  }

  /** A notice of {@code record}, every text made safe and bounded. */
  Notice notice(
      AuditRecord record,
      Event event,
      String title,
      String text,
      List<Notice.Field> fields,
      Optional<String> code,
      boolean linked) {
    Optional<String> link =
        linked
            ? record.entry().executionId().flatMap(id -> publicUrl.map(url -> link(url, id)))
            : Optional.empty();
    return new Notice(
        "audit-" + record.seq(),
        event,
        record.entry().at(),
        NoticeTexts.cut(safe(title), MAX_FIELD),
        NoticeTexts.cut(safe(text), MAX_TEXT),
        fields,
        code,
        link);
  }

  static Notice.Field field(String name, String value) {
    return new Notice.Field(name, NoticeTexts.cut(safe(value), MAX_FIELD));
  }

  private Optional<Read> minimal(AuditRecord record, Outbox.Lookup lookup) {
    AuditEntry entry = record.entry();
    Optional<ExecutionRecord> row = row(entry, lookup);
    String intent = intent(record, row);
    boolean dryRun = row.map(ExecutionRecord::dryRun).orElse(false);
    Event event;
    String title;
    switch (entry.kind()) {
      case EXECUTION_FINISHED -> {
        event =
            row.map(execution -> finishedEvent(execution.status())).orElse(Event.EXECUTION_FAILED);
        title = "Execution ended: " + intent;
      }
      case EXECUTION_INTERRUPTED -> {
        event = Event.EXECUTION_FAILED;
        title = "Execution interrupted: " + intent;
      }
      case APPROVAL_REQUESTED -> {
        event = Event.APPROVAL_REQUESTED;
        title = "Approval requested: " + intent;
      }
      case APPROVAL_GRANTED -> {
        event = Event.APPROVAL_APPROVED;
        title = "Approved: " + intent;
      }
      case APPROVAL_DENIED -> {
        event = Event.APPROVAL_DENIED;
        title = "Approval denied: " + intent;
      }
      case APPROVAL_EXPIRED -> {
        event = Event.APPROVAL_EXPIRED;
        title = "Approval expired: " + intent;
      }
      case SERVICE_STARTED, SERVICE_STOPPED -> {
        return Optional.of(new Read(service(record), false));
      }
      default -> {
        return Optional.empty();
      }
    }
    List<Notice.Field> fields = executionFields(record, row, intent);
    return Optional.of(
        new Read(notice(record, event, title, "", fields, Optional.empty(), true), dryRun));
  }

  /** The execution the record concerns, as its transaction sees it; empty if it cannot be read. */
  private static Optional<ExecutionRecord> row(AuditEntry entry, Outbox.Lookup lookup) {
    if (entry.executionId().isEmpty()) {
      return Optional.empty();
    }
    try {
      return lookup.execution(entry.executionId().get());
    } catch (RuntimeException e) {
      return Optional.empty(); // the notice is still worth sending with what the record says
    }
  }

  /** The record's detail, or a missing node when it is not JSON. */
  static JsonNode detail(AuditEntry entry) {
    try {
      return JSON.readTree(entry.detail());
    } catch (RuntimeException e) {
      return MissingNode.getInstance();
    }
  }

  /** The text of a string, number or boolean node. */
  static Optional<String> string(JsonNode node) {
    if (node.isString() || node.isNumber() || node.isBoolean()) {
      return Optional.of(node.asString());
    }
    return Optional.empty();
  }

  /** {@code text} with anything shaped like an API key cut to the prefix listings show. */
  static String safe(String text) {
    if (!text.contains("chk_")) {
      return text;
    }
    return KEY_SHAPED
        .matcher(text)
        .replaceAll(match -> match.group().substring(0, KEY_PREFIX) + "…");
  }

  private static String link(String base, String id) {
    return base
        + "/api/v1/executions/"
        + URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String strip(String url) {
    String base = url;
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    return base;
  }
}
