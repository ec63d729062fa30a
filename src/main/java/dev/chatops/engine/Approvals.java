package dev.chatops.engine;

import dev.chatops.intent.Shown;
import dev.chatops.store.Approval;
import dev.chatops.store.AuditTrail;
import dev.chatops.store.ExecutionRecord;
import dev.chatops.store.ExecutionStatus;
import dev.chatops.store.Executions;
import dev.chatops.store.Store;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The two-person rule: approvals and denials of executions that wait for them, and their expiry.
 * Who may decide is checked here (the approval scope, never the requester); the store checks and
 * records the decision in one write with its audit record, so that two decisions at once count
 * right. The approval that completes the count leaves the execution queued and unclaimed; the
 * process's {@code whenApproved} then claims and starts it (a process that runs no executions, the
 * command line, leaves it to a service that polls for it, or to {@code chatops run --wait}).
 * Refusals are audited with their true reason.
 *
 * <p>Thread-safe; one per process.
 */
public final class Approvals {

  /** The longest comment kept with a decision, in characters. */
  public static final int MAX_COMMENT = 500;

  private static final int MAX_SHOWN_ID = 64;

  /** What {@link #approve} or {@link #deny} did. */
  public sealed interface Decision permits Approved, Denied, NotFound, Forbidden, Conflict {}

  /**
   * Counted; when {@code given == required} the execution is approved (queued), else it still
   * waits.
   */
  public record Approved(ExecutionRecord execution, int given, int required) implements Decision {}

  /** Denied: the execution ended {@code denied} and never runs. */
  public record Denied(ExecutionRecord execution) implements Decision {}

  /** No such execution, or one the approver may neither trigger nor approve: it learns nothing. */
  public record NotFound(String executionId) implements Decision {}

  /** The approver may not decide: no approval scope for the intent, or it is the requester. */
  public record Forbidden(String reason) implements Decision {}

  /** Not recorded: the same approver again, or the execution no longer waits for approvals. */
  public record Conflict(String reason) implements Decision {}

  private final Store store;
  private final InstantSource clock;
  private final ProgressEvents progress;
  private final Consumer<String> whenApproved;

  Approvals(
      Store store, InstantSource clock, ProgressEvents progress, Consumer<String> whenApproved) {
    this.store = store;
    this.clock = clock;
    this.progress = progress;
    this.whenApproved = whenApproved;
  }

  /**
   * Approvals for a process that runs no executions (the command line): an approval that completes
   * the count leaves the execution queued and unclaimed, for a service to claim (it polls the
   * store) or {@link TriggerService#runApproved}.
   */
  public static Approvals recordOnly(Store store, InstantSource clock) {
    return new Approvals(store, clock, new ProgressEvents(new ExecutionEvents(clock)), id -> {});
  }

  /**
   * Why {@code comment} cannot go with a decision, if it cannot: longer than {@link #MAX_COMMENT}
   * characters, or with control characters other than line breaks and tabs (which a terminal or a
   * log would act on).
   */
  public static Optional<String> commentProblem(String comment) {
    if (comment.length() > MAX_COMMENT) {
      return Optional.of("the comment is longer than " + MAX_COMMENT + " characters");
    }
    boolean control =
        comment
            .codePoints()
            .anyMatch(
                c ->
                    c != '\n'
                        && c != '\t'
                        && (Character.getType(c) == Character.CONTROL
                            || Character.getType(c) == Character.FORMAT
                            || c == 0x2028
                            || c == 0x2029));
    return control
        ? Optional.of("the comment must not contain control characters")
        : Optional.empty();
  }

  /** Approves {@code executionId} as {@code approver}. */
  public Decision approve(Caller approver, String executionId, Optional<String> comment) {
    return decide(approver, executionId, true, comment);
  }

  /** Denies {@code executionId} as {@code approver}: one denial ends it {@code denied}. */
  public Decision deny(Caller approver, String executionId, Optional<String> comment) {
    return decide(approver, executionId, false, comment);
  }

  /** The executions waiting for approvals, oldest first; overdue ones are expired first. */
  public List<ExecutionRecord> pending() {
    expireOverdue();
    return store.executions().pendingApproval();
  }

  /** The decisions taken on {@code executionId}, in order. */
  public List<Approval> decisions(String executionId) {
    return store.executions().approvals(executionId);
  }

  /**
   * Ends {@code expired} every execution whose approvals did not all come before its deadline (also
   * one whose deadline passed while no service ran), with its audit record; returns them.
   */
  public List<ExecutionRecord> expireOverdue() {
    List<ExecutionRecord> expired = store.executions().expire(clock.instant());
    for (ExecutionRecord execution : expired) {
      progress.ended(execution.id(), execution.status(), execution.summary());
    }
    return expired;
  }

  private Decision decide(
      Caller approver, String executionId, boolean approved, Optional<String> comment) {
    Objects.requireNonNull(approver, "approver");
    Objects.requireNonNull(executionId, "executionId");
    comment
        .flatMap(Approvals::commentProblem)
        .ifPresent(
            problem -> {
              throw new IllegalArgumentException(problem);
            });
    String verb = approved ? "approve" : "deny";
    Optional<ExecutionRecord> found =
        executionId.length() > MAX_SHOWN_ID
            ? Optional.empty()
            : store.executions().find(executionId);
    if (found.isEmpty()
        || !(approver.mayTrigger(found.get().intent())
            || approver.mayApprove(found.get().intent()))) {
      String shown = Shown.cut(executionId, MAX_SHOWN_ID);
      refused(
          approver,
          found.map(ExecutionRecord::intent).orElse("-"),
          "approval_unknown",
          found.isEmpty()
              ? "no execution " + shown
              : approver.actor() + " may neither trigger nor approve execution " + shown);
      return new NotFound(shown);
    }
    ExecutionRecord execution = found.get();
    if (!approver.mayApprove(execution.intent())) {
      return forbidden(
          approver,
          execution,
          "approval_scope",
          approver.actor() + " may not approve executions of intent " + execution.intent());
    }
    if (approver.actor().equals(execution.actor())) {
      return forbidden(
          approver,
          execution,
          "approval_requester",
          approver.actor()
              + " requested execution "
              + execution.id()
              + " and may not "
              + verb
              + " it");
    }
    Approval approval =
        new Approval(execution.id(), approver.actor(), approved, clock.instant(), comment);
    return switch (store.executions().decide(approval, approver.source())) {
      case Executions.Decided decided -> decided(approval, decided);
      case Executions.Unknown unknown -> new NotFound(execution.id());
      case Executions.NotPending notPending -> {
        ExecutionRecord now = notPending.execution();
        if (now.status() == ExecutionStatus.EXPIRED && execution.status() != now.status()) {
          progress.ended(now.id(), now.status(), now.summary()); // expired by this very call
        }
        yield new Conflict(
            "execution "
                + now.id()
                + " is "
                + now.status().key()
                + ": it no longer waits for"
                + " approvals");
      }
      case Executions.AlreadyDecided again ->
          new Conflict(
              approver.actor()
                  + " has "
                  + (again.earlier().approved() ? "approved" : "denied")
                  + " execution "
                  + execution.id()
                  + " already");
    };
  }

  private Decision decided(Approval approval, Executions.Decided decided) {
    ExecutionRecord execution = decided.execution();
    int required = execution.approvalsRequired();
    progress.approval(execution.id(), approval, decided.given(), required, execution.summary());
    return switch (execution.status()) {
      case DENIED -> {
        progress.ended(execution.id(), execution.status(), execution.summary());
        yield new Denied(execution);
      }
      case QUEUED -> {
        progress.queued(execution.id());
        whenApproved.accept(execution.id());
        yield new Approved(execution, decided.given(), required);
      }
      default -> new Approved(execution, decided.given(), required);
    };
  }

  private Forbidden forbidden(
      Caller approver, ExecutionRecord execution, String reason, String message) {
    refused(approver, execution.intent(), reason, message);
    return new Forbidden(message);
  }

  private void refused(Caller approver, String intent, String reason, String message) {
    store
        .audit()
        .deny(
            new AuditTrail.Denial(
                clock.instant(),
                approver.source(),
                reason,
                approver.actor(),
                AuditDetails.denial(intent, message)));
  }
}
