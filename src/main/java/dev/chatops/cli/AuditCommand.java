package dev.chatops.cli;

import dev.chatops.store.AuditRecord;
import dev.chatops.store.AuditTrail;
import dev.chatops.store.Store;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.node.ObjectNode;

/** {@code chatops audit verify|export|head}: the tamper-evident audit trail. */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    description = "Verify or export the audit trail, or print its head to keep elsewhere.",
    subcommands = {AuditCommand.Verify.class, AuditCommand.Export.class, AuditCommand.Head.class})
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
        spec.commandLine(), "missing command: verify, export or head");
  }

  Optional<Store> store() {
    return CommandConfig.load(context, root.config())
        .flatMap(settings -> StoreCommands.open(context, settings));
  }

  /**
   * {@code audit verify [--expect SEQ:HASH | --anchor FILE]}: exit 0 intact, 1 broken, 2 for an
   * expected head that cannot be read.
   */
  @Command(
      name = "verify",
      mixinStandardHelpOptions = true,
      description = {
        "Check the hash chain of every record, the chain's head against its witness file, and"
            + " every execution and API key against the chain. Exit 0 intact, 1 broken.",
        "With --expect or --anchor, the chain must also hold a head printed earlier by `chatops"
            + " audit head` and kept elsewhere: that finds even a rewrite of database and witness"
            + " together."
      })
  static final class Verify implements Callable<Integer> {
    @ParentCommand private AuditCommand audit;

    @Option(
        names = "--expect",
        paramLabel = "SEQ:HASH",
        description = "A head kept elsewhere: a record number and its hash.")
    private String expect;

    @Option(
        names = "--anchor",
        paramLabel = "FILE",
        description =
            "A file of heads kept elsewhere, one JSON object per line (output of `audit head`,"
                + " or an export): the one with the highest record number is checked.")
    private Path anchor;

    @Option(
        names = "--archive",
        paramLabel = "FILE",
        description =
            "An archive written by `chatops history prune` (repeatable): its records must chain and"
                + " end at the record a checkpoint names; an expected head that names a pruned"
                + " record is checked in it.")
    private List<Path> archives = new ArrayList<>();

    @Override
    public Integer call() {
      PrintWriter err = audit.context.err();
      if (expect != null && anchor != null) {
        err.println("chatops: give --expect or --anchor, not both");
        return ExitCode.USAGE;
      }
      Optional<AuditTrail.Head> expected;
      try {
        expected =
            expect != null
                ? Optional.of(Anchors.parseExpect(expect))
                : anchor != null
                    ? Optional.of(Anchors.read(audit.context.workingDirectory().resolve(anchor)))
                    : Optional.empty();
      } catch (IllegalArgumentException e) {
        err.println("chatops: " + e.getMessage());
        return ExitCode.USAGE;
      }
      List<Path> files = archives.stream().map(audit.context.workingDirectory()::resolve).toList();
      for (Path file : files) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
          err.println("chatops: cannot read --archive " + file);
          return ExitCode.USAGE;
        }
      }
      Optional<Store> opened = audit.store();
      if (opened.isEmpty()) {
        return ExitCode.USAGE;
      }
      AuditTrail.Verification result;
      try (Store store = opened.get()) {
        result =
            !files.isEmpty()
                ? store.history().verify(expected, files)
                : expected.isPresent()
                    ? store.audit().verify(expected.get())
                    : store.audit().verify();
      }
      print(result, expected, files, audit.context.out());
      return result.intact() ? ExitCode.OK : ExitCode.INVALID;
    }

    private static void print(
        AuditTrail.Verification result,
        Optional<AuditTrail.Head> expected,
        List<Path> archives,
        PrintWriter out) {
      if (result.intact()) {
        out.println(
            "audit trail intact: "
                + result.records()
                + " record(s)"
                + (archives.isEmpty() ? "" : " and " + archives.size() + " archive(s)")
                + expected
                    .map(head -> ", holding the expected head (record " + head.seq() + ")")
                    .orElse(""));
        return;
      }
      if (result.firstBroken() > 0) {
        out.println(
            "audit trail BROKEN at record " + result.firstBroken() + ": " + result.problem());
      } else if (!result.problem().isEmpty()) {
        out.println("audit trail BROKEN: " + result.problem());
      }
      if (result.rowDisagreements() > 0) {
        out.println(
            (result.problem().isEmpty() ? "audit trail BROKEN: " : "")
                + result.rowDisagreements()
                + " row(s) of the tables disagree with it ("
                + result.records()
                + " record(s) checked):");
        result.rows().forEach(row -> out.println("  " + row));
        long more = result.rowDisagreements() - result.rows().size();
        if (more > 0) {
          out.println("  ... and " + more + " more");
        }
      }
    }
  }

  /**
   * {@code audit head}: the newest record's number, hash and time as one JSON line, to keep
   * elsewhere (another host, a ticket, a notification) and check with {@code verify --expect} or
   * {@code --anchor}.
   */
  @Command(
      name = "head",
      mixinStandardHelpOptions = true,
      description = {
        "Print the chain's head (newest record number, hash and time) as one JSON line.",
        "Keep it off this host; `chatops audit verify --anchor FILE` checks the chain against it."
      })
  static final class Head implements Callable<Integer> {
    @ParentCommand private AuditCommand audit;

    @Override
    public Integer call() {
      Optional<Store> opened = audit.store();
      if (opened.isEmpty()) {
        return ExitCode.USAGE;
      }
      AuditTrail.Head head;
      try (Store store = opened.get()) {
        head = store.audit().head();
      }
      audit.context.out().println(Anchors.json(head));
      audit.context.out().flush();
      return ExitCode.OK;
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
      node.put("kind", record.entry().kind().key());
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
