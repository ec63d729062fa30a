package dev.chatops.engine;

import dev.chatops.store.AuditEntry;
import dev.chatops.store.ExecutionRecord;
import dev.chatops.store.ExecutionStatus;
import java.time.Instant;

/**
 * The audit entries of the trigger path as {@link AuditDetails} writes them, for tests outside this
 * package (the notices of {@code notify}): built by the real code, so that a change of their shape
 * breaks those tests too.
 */
public final class AuditSamples {

  private AuditSamples() {}

  /** {@code trigger.accepted}. */
  public static AuditEntry accepted(
      ExecutionRecord execution, TriggerRequest request, ExecutionStatus status, Instant at) {
    return AuditDetails.accepted(execution, request, status, at);
  }

  /** {@code approval.requested} of an execution that needs approvals. */
  public static AuditEntry approvalRequested(ExecutionRecord execution, Instant at) {
    return AuditDetails.approvalRequested(execution, at);
  }

  /** {@code execution.started}. */
  public static AuditEntry started(ExecutionRecord execution, Instant at) {
    return AuditDetails.started(execution, at);
  }

  /** {@code execution.finished} with {@code report} as {@link ReportJson} gives it. */
  public static AuditEntry finished(ExecutionRecord execution, Instant at, Report report) {
    return AuditDetails.finished(
        execution, at, report.status().recorded(), report.summary(), ReportJson.json(report));
  }

  /** The detail of a denial by the admission ({@code label_mismatch}, {@code scope}...). */
  public static String denial(String shownIntent, String message) {
    return AuditDetails.denial(shownIntent, message);
  }
}
