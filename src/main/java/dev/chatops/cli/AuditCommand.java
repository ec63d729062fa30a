package dev.chatops.cli;

import dev.chatops.store.AuditRecord;
import dev.chatops.store.AuditTrail;
import dev.chatops.store.Store;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.node.ObjectNode;

/** {@code chatops audit verify|export}: the tamper-evident audit trail. */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    description = "Verify or export the audit trail.",
    subcommands = {AuditCommand.Verify.class, AuditCommand.Export.class})
final class AuditCommand implements Callable<Integer> {

  @ParentCommand private ChatOpsCommand root;
  @CommandLine.Spec private CommandLine.Model.CommandSpec spec;
  private final CliContext context;

  AuditCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "missing command: verify or export");
  }

  Optional<Store> store() {
    return Settings.load(context, root.config())
        .flatMap(settings -> StoreCommands.open(context, settings));
  }

  /** {@code audit verify}: exit 0 intact, 1 broken. */
  @Command(
      name = "verify",
      mixinStandardHelpOptions = true,
      description = "Check the hash chain of every record. Exit 0 intact, 1 broken.")
  static final class Verify implements Callable<Integer> {
    @ParentCommand private AuditCommand audit;

    @Override
    public Integer call() {
      Optional<Store> opened = audit.store();
      if (opened.isEmpty()) {
        return ExitCode.USAGE;
      }
      try (Store store = opened.get()) {
        AuditTrail.Verification result = store.audit().verify();
        if (result.intact()) {
          audit.context.out().println("audit trail intact: " + result.records() + " record(s)");
          return ExitCode.OK;
        }
        audit
            .context
            .out()
            .println(
                "audit trail BROKEN at record " + result.firstBroken() + ": " + result.problem());
        return ExitCode.INVALID;
      }
    }
  }

  /** {@code audit export --format jsonl}: one record per line, with its hashes. */
  @Command(
      name = "export",
      mixinStandardHelpOptions = true,
      description = "Export every record, one JSON object per line.")
  static final class Export implements Callable<Integer> {
    @ParentCommand private AuditCommand audit;

    @Option(names = "--format", defaultValue = "jsonl", description = "Only jsonl.")
    private String format;

    @Option(names = "--from", defaultValue = "1", description = "First record number (default: 1).")
    private long from;

    @Override
    public Integer call() {
      if (!format.equals("jsonl")) {
        audit.context.err().println("chatops: --format must be jsonl");
        return ExitCode.USAGE;
      }
      Optional<Store> opened = audit.store();
      if (opened.isEmpty()) {
        return ExitCode.USAGE;
      }
      try (Store store = opened.get()) {
        store.audit().forEach(from, record -> audit.context.out().println(json(record)));
      }
      audit.context.out().flush();
      return ExitCode.OK;
    }

    private static String json(AuditRecord record) {
      ObjectNode node = ProblemPrinter.JSON.createObjectNode();
      node.put("seq", record.seq());
      node.put("at", record.entry().at().toString());
      node.put("kind", record.entry().kind());
      node.put("actor", record.entry().actor());
      record.entry().source().ifPresent(source -> node.put("source", source));
      record.entry().intent().ifPresent(intent -> node.put("intent", intent));
      record.entry().executionId().ifPresent(id -> node.put("execution_id", id));
      try {
        node.set("detail", ProblemPrinter.JSON.readTree(record.entry().detail()));
      } catch (JacksonException e) {
        node.put("detail", record.entry().detail());
      }
      node.put("previous_hash", record.previousHash());
      node.put("hash", record.hash());
      return node.toString();
    }
  }
}
