package dev.chatops.cli;

import dev.chatops.engine.Approvals;
import dev.chatops.store.Approval;
import dev.chatops.store.ExecutionRecord;
import dev.chatops.store.Store;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code chatops approvals list}: the executions that wait for approvals. */
@Command(
    name = "approvals",
    mixinStandardHelpOptions = true,
    description =
        "Executions that wait for approvals (approve or deny them with `chatops approve`"
            + " and `chatops deny`).",
    subcommands = {ApprovalsCommand.ListPending.class})
final class ApprovalsCommand implements Callable<Integer> {

  /** How long a comment {@code approvals list} shows in text, in characters. */
  private static final int SHOWN_COMMENT = 80;

  @ParentCommand private ChatOpsCommand root;
  @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

  private final CliContext context;

  ApprovalsCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing command: list");
  }

  /** {@code approvals list}: oldest first; overdue ones are expired first, so never listed. */
  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = {
        "The executions that wait for approvals, oldest first: id, intent, who requested it and"
            + " when, approvals given of those required, and when it expires. One past its"
            + " deadline is ended expired first, and not listed."
      })
  static final class ListPending implements Callable<Integer> {
    @ParentCommand private ApprovalsCommand approvals;

    @Option(
        names = "--format",
        defaultValue = "text",
        description = "Output: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    private ReportFormat format;

    @Override
    public Integer call() {
      CliContext context = approvals.context;
      Optional<Store> opened =
          CommandConfig.load(context, approvals.root.config())
              .flatMap(settings -> StoreCommands.open(context, settings));
      if (opened.isEmpty()) {
        return ExitCode.USAGE;
      }
      try (Store store = opened.get()) {
        Approvals pending = Approvals.recordOnly(store, Clock.systemUTC());
        List<ExecutionRecord> waiting = pending.pending();
        if (format == ReportFormat.json) {
          ArrayNode list = ProblemPrinter.JSON.createArrayNode();
          for (ExecutionRecord execution : waiting) {
            list.add(json(execution, pending.decisions(execution.id())));
          }
          context.out().println(ProblemPrinter.JSON.writeValueAsString(list));
          return ExitCode.OK;
        }
        if (waiting.isEmpty()) {
          context.out().println("no execution waits for approvals");
          return ExitCode.OK;
        }
        String row = "%-36s %-24s %-16s %-20s %-9s %s%n";
        context.out().printf(row, "ID", "INTENT", "REQUESTER", "REQUESTED", "APPROVALS", "EXPIRES");
        for (ExecutionRecord execution : waiting) {
          List<Approval> decisions = pending.decisions(execution.id());
          context
              .out()
              .printf(
                  row,
                  execution.id(),
                  execution.intent(),
                  execution.actor(),
                  second(execution.requestedAt()),
                  given(decisions) + "/" + execution.approvalsRequired(),
                  execution.approvalDeadline().map(ApprovalsCommand::second).orElse("-"));
          for (Approval decision : decisions) {
            context.out().println("    " + shown(decision));
          }
        }
      }
      return ExitCode.OK;
    }
  }

  /** How many of {@code decisions} approve. */
  static long given(List<Approval> decisions) {
    return decisions.stream().filter(Approval::approved).count();
  }

  /** One decision on one line: {@code approved by bob at ...: comment}. */
  static String shown(Approval decision) {
    return (decision.approved() ? "approved" : "denied")
        + " by "
        + decision.approver()
        + " at "
        + second(decision.at())
        + decision.comment().map(text -> ": " + oneLine(text)).orElse("");
  }

  /** A comment on one line, cut: line breaks and tabs (which comments may hold) as spaces. */
  static String oneLine(String comment) {
    String flat = comment.replaceAll("[\\n\\t]+", " ").strip();
    return flat.length() > SHOWN_COMMENT ? flat.substring(0, SHOWN_COMMENT) + "..." : flat;
  }

  private static String second(Instant at) {
    return at.toString().substring(0, 19) + "Z";
  }

  private static ObjectNode json(ExecutionRecord execution, List<Approval> decisions) {
    ObjectNode node = ProblemPrinter.JSON.createObjectNode();
    node.put("id", execution.id());
    node.put("intent", execution.intent());
    node.put("requester", execution.actor());
    node.put("source", execution.source());
    node.put("requested_at", execution.requestedAt().toString());
    node.put("approvals_given", given(decisions));
    node.put("approvals_required", execution.approvalsRequired());
    node.put("expires_at", execution.approvalDeadline().map(Instant::toString).orElse(null));
    ArrayNode list = node.putArray("approvals");
    for (Approval decision : decisions) {
      ObjectNode each = list.addObject();
      each.put("approver", decision.approver());
      each.put("approved", decision.approved());
      each.put("at", decision.at().toString());
      each.put("comment", decision.comment().orElse(null));
    }
    return node;
  }
}
