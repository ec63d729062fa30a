package dev.chatops.cli;

import dev.chatops.engine.Approvals;
import dev.chatops.engine.Caller;
import dev.chatops.store.Store;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code chatops approve ID} and {@code chatops deny ID} ({@code --comment TEXT}): a decision on an
 * execution that waits for approvals, taken as {@code cli:$USER}, who may decide on every intent
 * but never on an execution they requested. The engine checks and records it with its audit record
 * ({@link Approvals}); the last approval leaves the execution queued for a service, or for the
 * {@code chatops run --wait} that requested it, to run.
 */
abstract sealed class DecisionCommand implements Callable<Integer>
    permits DecisionCommand.Approve, DecisionCommand.Deny {

  @ParentCommand private ChatOpsCommand root;

  @Parameters(
      index = "0",
      paramLabel = "ID",
      description = "The execution, as `chatops approvals list` shows it.")
  private String id;

  @Option(
      names = "--comment",
      paramLabel = "TEXT",
      description =
          "Why; kept with the decision (at most " + Approvals.MAX_COMMENT + " characters).")
  private String comment;

  final CliContext context;

  DecisionCommand(CliContext context) {
    this.context = context;
  }

  /** {@code chatops approve ID}. */
  @Command(
      name = "approve",
      mixinStandardHelpOptions = true,
      description = {
        "Approve an execution that waits for approvals, as cli:$USER (never one you requested)."
            + " The last approval it needs queues it: a running service starts it, or the"
            + " `chatops run --wait` that requested it.",
        "Exit status: 0 approved, 1 refused (the reason on stderr), 2 usage."
      })
  static final class Approve extends DecisionCommand {
    Approve(CliContext context) {
      super(context);
    }

    @Override
    Approvals.Decision decide(
        Approvals approvals, Caller approver, String id, Optional<String> said) {
      return approvals.approve(approver, id, said);
    }
  }

  /** {@code chatops deny ID}. */
  @Command(
      name = "deny",
      mixinStandardHelpOptions = true,
      description = {
        "Deny an execution that waits for approvals, as cli:$USER (never one you requested):"
            + " it ends denied and never runs.",
        "Exit status: 0 denied, 1 refused (the reason on stderr), 2 usage."
      })
  static final class Deny extends DecisionCommand {
    Deny(CliContext context) {
      super(context);
    }

    @Override
    Approvals.Decision decide(
        Approvals approvals, Caller approver, String id, Optional<String> said) {
      return approvals.deny(approver, id, said);
    }
  }

  abstract Approvals.Decision decide(
      Approvals approvals, Caller approver, String id, Optional<String> said);

  @Override
  public Integer call() {
    if (!ExecutionIds.isValid(id)) {
      context.err().println("chatops: " + ExecutionIds.PROBLEM);
      return ExitCode.USAGE;
    }
    Optional<String> said = Optional.ofNullable(comment).filter(text -> !text.isEmpty());
    Optional<String> problem = said.flatMap(Approvals::commentProblem);
    if (problem.isPresent()) {
      context.err().println("chatops: --comment: " + problem.get());
      return ExitCode.USAGE;
    }
    Caller approver = Actors.caller(context);
    if (approver.actor().equals(Actors.UNKNOWN)) {
      context
          .err()
          .println(
              "chatops: refused: USER is not set to a user name, and the audit trail must name"
                  + " who decides");
      return ExitCode.INVALID;
    }
    Optional<Store> opened =
        CommandConfig.load(context, root.config())
            .flatMap(settings -> StoreCommands.open(context, settings));
    if (opened.isEmpty()) {
      return ExitCode.USAGE;
    }
    try (Store store = opened.get()) {
      Approvals approvals = Approvals.recordOnly(store, Clock.systemUTC());
      return switch (decide(approvals, approver, id, said)) {
        case Approvals.Approved approved -> {
          context
              .out()
              .println(
                  "approved execution "
                      + id
                      + " of "
                      + approved.execution().intent()
                      + " ("
                      + approved.given()
                      + " of "
                      + approved.required()
                      + (approved.given() < approved.required()
                          ? "); it waits for " + (approved.required() - approved.given()) + " more"
                          : "); it is queued: a running service starts it, or the"
                              + " `chatops run --wait` that requested it"));
          yield ExitCode.OK;
        }
        case Approvals.Denied denied -> {
          context
              .out()
              .println(
                  "denied execution "
                      + id
                      + " of "
                      + denied.execution().intent()
                      + ": it never runs");
          yield ExitCode.OK;
        }
        case Approvals.NotFound notFound -> {
          context.err().println("chatops: no execution " + id);
          yield ExitCode.INVALID;
        }
        case Approvals.Forbidden forbidden -> {
          context.err().println("chatops: refused: " + forbidden.reason());
          yield ExitCode.INVALID;
        }
        case Approvals.Conflict conflict -> {
          context.err().println("chatops: refused: " + conflict.reason());
          yield ExitCode.INVALID;
        }
      };
    }
  }
}
