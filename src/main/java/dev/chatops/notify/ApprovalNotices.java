package dev.chatops.notify;

import dev.chatops.store.AuditRecord;
import dev.chatops.store.ExecutionRecord;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * The notices of the approval records: {@code approval.requested} ({@code engine.AuditDetails}:
 * required, deadline), {@code approval.granted} and {@code approval.denied} ({@code
 * store.jdbc.JdbcApprovals}: the approval with approver and comment, given, required), {@code
 * approval.expired} (given, required). The execution row adds the requester, the pull request and
 * the deadline.
 */
final class ApprovalNotices {

  private static final int MAX_COMMENT = 300;

  private ApprovalNotices() {}

  static Notices.Read notice(
      Notices notices, AuditRecord record, JsonNode detail, Optional<ExecutionRecord> row) {
    String intent = notices.intent(record, row);
    long required =
        number(detail.path("required"))
            .orElse(row.map(ExecutionRecord::approvalsRequired).orElse(0).longValue());
    Optional<Long> given = number(detail.path("given"));
    Optional<String> deadline =
        row.flatMap(ExecutionRecord::approvalDeadline)
            .map(Instant::toString)
            .or(() -> Notices.string(detail.path("deadline")));
    JsonNode approval = detail.path("approval");
    String approver = Notices.string(approval.path("approver")).orElse(record.entry().actor());
    Optional<String> comment =
        Notices.string(approval.path("comment"))
            .filter(text -> !text.isBlank())
            .map(text -> NoticeTexts.cut(text, MAX_COMMENT));
    String count = given.map(value -> value + " of " + required).orElse("? of " + required);

    Event event;
    String title;
    String text;
    switch (record.entry().kind()) {
      case APPROVAL_REQUESTED -> {
        event = Event.APPROVAL_REQUESTED;
        title = "Approval requested: " + intent;
        count = "0 of " + required;
        text =
            row.map(ExecutionRecord::actor).orElse(record.entry().actor())
                + " asks to run "
                + intent
                + ": "
                + required
                + " approval(s) needed"
                + deadline.map(value -> " by " + value).orElse("")
                + ".";
      }
      case APPROVAL_GRANTED -> {
        event = Event.APPROVAL_APPROVED;
        boolean complete = given.map(value -> value >= required).orElse(false);
        title = (complete ? "Approved: " : "Approval given: ") + intent;
        text =
            approver
                + " approved ("
                + count
                + ")"
                + (complete ? "; it runs now." : ".")
                + comment.map(value -> " " + value).orElse("");
      }
      case APPROVAL_DENIED -> {
        event = Event.APPROVAL_DENIED;
        title = "Approval denied: " + intent;
        text = "Denied by " + approver + "." + comment.map(value -> " " + value).orElse("");
      }
      default -> {
        event = Event.APPROVAL_EXPIRED;
        title = "Approval expired: " + intent;
        text =
            "Expired with "
                + count
                + " approval(s)"
                + deadline.map(value -> " at " + value).orElse("")
                + ".";
      }
    }
    List<Notice.Field> fields = notices.executionFields(record, row, intent);
    if (event == Event.APPROVAL_APPROVED || event == Event.APPROVAL_DENIED) {
      fields.add(Notices.field("approver", approver));
    }
    fields.add(Notices.field("approvals", count));
    deadline.ifPresent(value -> fields.add(Notices.field("deadline", value)));
    comment.ifPresent(value -> fields.add(Notices.field("comment", value)));
    boolean dryRun = row.map(ExecutionRecord::dryRun).orElse(false);
    return new Notices.Read(
        notices.notice(record, event, title, text, fields, Optional.empty(), true), dryRun);
  }

  private static Optional<Long> number(JsonNode node) {
    return node.isIntegralNumber() ? Optional.of(node.asLong()) : Optional.empty();
  }
}
