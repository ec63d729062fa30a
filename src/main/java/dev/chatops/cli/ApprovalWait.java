package dev.chatops.cli;

import dev.chatops.engine.Approvals;
import dev.chatops.engine.TriggerService;
import dev.chatops.store.Approval;
import dev.chatops.store.ExecutionRecord;
import dev.chatops.store.ExecutionStatus;
import dev.chatops.store.Store;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code chatops run --wait} of an intent that needs approvals: polls the store about once a second
 * for the pending execution's approvals, saying each as it arrives, and once it is approved claims
 * it and runs it in this process ({@link TriggerService#runApproved}). When another process (a
 * service) claimed it first, it follows that run from the store to its end. A denial or the
 * approval deadline ends the wait; past the deadline the execution is ended {@code expired} here,
 * as a service would, so the wait needs no service. SIGINT stops only the wait: the execution
 * belongs to no process and stays pending.
 */
final class ApprovalWait {

  /** How often the store is asked. */
  static final Duration POLL = Duration.ofSeconds(1);

  private final Store store;
  private final TriggerService triggers;
  private final Approvals approvals;
  private final Progress progress;
  private final InstantSource clock;

  ApprovalWait(Store store, TriggerService triggers, Progress progress, InstantSource clock) {
    this.store = store;
    this.triggers = triggers;
    this.approvals = Approvals.recordOnly(store, clock);
    this.progress = progress;
    this.clock = clock;
  }

  /**
   * What {@code chatops run} prints of an execution recorded waiting for approvals: its id and how
   * to approve or deny it, from the shell and over HTTP; in JSON, the execution in short.
   */
  static void printPending(PrintWriter out, ExecutionRecord execution, ReportFormat format) {
    String id = execution.id();
    if (format == ReportFormat.json) {
      ObjectNode node = ProblemPrinter.JSON.createObjectNode();
      node.put("id", id);
      node.put("intent", execution.intent());
      node.put("status", execution.status().key());
      node.put("approvals_required", execution.approvalsRequired());
      node.put("expires_at", execution.approvalDeadline().map(Instant::toString).orElse(null));
      node.put("approve", "chatops approve " + id);
      node.put("approve_http", "POST /api/v1/executions/" + id + "/approve");
      out.println(ProblemPrinter.JSON.writeValueAsString(node));
      return;
    }
    out.println(
        "execution "
            + id
            + " of "
            + execution.intent()
            + " waits for "
            + execution.approvalsRequired()
            + " approval(s)"
            + execution
                .approvalDeadline()
                .map(at -> " until " + at.truncatedTo(ChronoUnit.SECONDS))
                .orElse("")
            + "; nothing ran yet");
    out.println(
        "  approve: chatops approve "
            + id
            + " [--comment TEXT]   (HTTP: POST /api/v1/executions/"
            + id
            + "/approve, with a key given --approve)");
    out.println("  deny:    chatops deny " + id + " [--comment TEXT]");
    out.flush();
  }

  /**
   * Waits for {@code pending}'s approvals, then runs it here or follows its run elsewhere.
   *
   * @return the report of the run here, or the exit status once it ended otherwise: 0 succeeded
   *     (elsewhere), 3 rolled back, 1 failed, denied, expired, interrupted, or the wait stopped
   */
  RunCommand.Finish await(ExecutionRecord pending, ReportFormat format, PrintWriter out) {
    String id = pending.id();
    String intent = pending.intent();
    progress.say(intent, "waiting for approvals (stop with Ctrl-C; the execution stays pending)");
    int seen = 0;
    boolean following = false;
    Optional<Instant> deadline = pending.approvalDeadline();
    while (true) {
      if (deadline.isPresent() && !clock.instant().isBefore(deadline.get())) {
        approvals.expireOverdue(); // a write: only once the deadline has passed
      }
      Optional<ExecutionRecord> found = store.executions().find(id);
      if (found.isEmpty()) {
        progress.say(intent, "execution " + id + " is no longer in the store");
        return new RunCommand.Finish.Done(ExitCode.INVALID);
      }
      ExecutionRecord now = found.get();
      List<Approval> decisions = store.executions().approvals(id);
      for (int i = seen; i < decisions.size(); i++) {
        Approval decision = decisions.get(i);
        progress.say(
            intent,
            ApprovalsCommand.shown(decision)
                + (decision.approved()
                    ? " ("
                        + ApprovalsCommand.given(decisions.subList(0, i + 1))
                        + " of "
                        + now.approvalsRequired()
                        + ")"
                    : ""));
      }
      seen = decisions.size();
      switch (now.status()) {
        case PENDING_APPROVAL -> {
          // not yet
        }
        case QUEUED -> {
          Optional<TriggerService.Ran> ran = triggers.runApproved(id, progress::forIntent);
          if (ran.isPresent()) {
            progress.say(intent, "approved: ran here as execution " + id);
            return new RunCommand.Finish.Reported(ran.get().report());
          }
          following = follow(intent, following, "claimed by another process");
        }
        case RUNNING -> following = follow(intent, following, "running in another process");
        case SUCCEEDED, FAILED, ROLLED_BACK, INTERRUPTED, DENIED, EXPIRED, CANCELLED -> {
          return ended(now, format, out);
        }
      }
      try {
        Thread.sleep(POLL);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        progress.say(
            intent,
            "stopped waiting; execution "
                + id
                + (now.status() == ExecutionStatus.PENDING_APPROVAL
                    ? " still waits for approvals"
                    : " is " + now.status().key()));
        return new RunCommand.Finish.Done(ExitCode.INVALID);
      }
    }
  }

  private boolean follow(String intent, boolean following, String why) {
    if (!following) {
      progress.say(intent, "approved, and " + why + ": following it to its end");
    }
    return true;
  }

  /** An execution that ended without running here: its status and summary, or its report. */
  private static RunCommand.Finish ended(
      ExecutionRecord execution, ReportFormat format, PrintWriter out) {
    if (format == ReportFormat.json) {
      if (execution.report().isPresent()) {
        out.println(execution.report().get());
      } else {
        ObjectNode node = ProblemPrinter.JSON.createObjectNode();
        node.put("id", execution.id());
        node.put("intent", execution.intent());
        node.put("status", execution.status().key());
        node.put("summary", execution.summary());
        out.println(ProblemPrinter.JSON.writeValueAsString(node));
      }
    } else {
      out.println(
          execution.intent()
              + ": "
              + execution.status().key()
              + " (execution "
              + execution.id()
              + "): "
              + execution.summary());
    }
    return new RunCommand.Finish.Done(
        switch (execution.status()) {
          case SUCCEEDED -> ExitCode.OK;
          case ROLLED_BACK -> RunCommand.ROLLED_BACK;
          default -> ExitCode.INVALID;
        });
  }
}
