package dev.chatops.cli;

import dev.chatops.policy.ApiKeys;
import dev.chatops.policy.KeyCreation;
import dev.chatops.policy.NewKey;
import dev.chatops.store.ApiKeyRecord;
import dev.chatops.store.AuditEntry;
import dev.chatops.store.AuditKind;
import dev.chatops.store.KeyStore;
import dev.chatops.store.Store;
import dev.chatops.yaml.Durations;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.node.ObjectNode;

/** {@code chatops keys create|list|revoke}: API keys, stored hashed, every change audited. */
@Command(
    name = "keys",
    mixinStandardHelpOptions = true,
    description = "Create, list and revoke API keys.",
    subcommands = {KeysCommand.Create.class, KeysCommand.ListKeys.class, KeysCommand.Revoke.class})
final class KeysCommand implements Callable<Integer> {

  @ParentCommand private ChatOpsCommand root;
  @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

  private final CliContext context;

  KeysCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "missing command: create, list or revoke");
  }

  Optional<Store> store() {
    return CommandConfig.load(context, root.config())
        .flatMap(settings -> StoreCommands.open(context, settings));
  }

  /** {@code keys create}: prints the new key alone on stdout, once. */
  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = "Create an API key; prints it once, alone on stdout.")
  static final class Create implements Callable<Integer> {
    @ParentCommand private KeysCommand keys;

    @Option(
        names = "--name",
        required = true,
        description = "A unique name: lowercase letters, digits, '.', '_' or '-'.")
    private String name;

    @Option(
        names = "--intents",
        paramLabel = "GLOB",
        description =
            "Intents it may trigger (glob; repeat; default: all, or none with --approve).")
    private List<String> intents = new ArrayList<>();

    @Option(
        names = "--approve",
        paramLabel = "GLOB",
        description =
            "Intents whose executions it may approve or deny (glob; repeat; default: none).")
    private List<String> approve = new ArrayList<>();

    @Option(
        names = "--expires",
        paramLabel = "DURATION",
        description = "Lifetime such as 30d, 12h or 90m (default: never).")
    private String expires;

    @Option(names = "--dry-run-only", description = "The key may only ask for dry runs.")
    private boolean dryRunOnly;

    @Option(
        names = "--no-caller-labels",
        description = {
          "The key's triggers may not carry labels: labels sent to the API are the caller's word,"
              + " which nothing verifies. Such a key can trigger only intents whose"
              + " require.labels (with those of a batch's steps) is empty."
        })
    private boolean noCallerLabels;

    @Option(
        names = "--ui",
        description = {
          "The key may sign in to the web dashboard at /ui/ (ui.enabled), where it acts with the"
              + " scopes above. A session lives in the browser for up to ui.session_lifetime;"
              + " revoking the key ends its sessions. Default: no, and no key from before"
              + " this option may sign in."
        })
    private boolean ui;

    @Override
    public Integer call() {
      CliContext context = keys.context;
      Optional<Duration> lifetime = Optional.empty();
      if (expires != null) {
        lifetime = Durations.parse(expires);
        if (lifetime.isEmpty()) {
          context.err().println("chatops: --expires must be a duration such as 30d, 12h or 90m");
          return ExitCode.USAGE;
        }
      }
      Clock clock = Clock.systemUTC();
      KeyCreation creation =
          new ApiKeys(new SecureRandom(), clock)
              .create(name, intents, approve, dryRunOnly, !noCallerLabels, ui, lifetime);
      if (creation instanceof KeyCreation.Invalid invalid) {
        invalid.problems().forEach(problem -> context.err().println("chatops: " + problem));
        return ExitCode.USAGE;
      }
      NewKey key = (NewKey) creation;
      Optional<Store> opened = keys.store();
      if (opened.isEmpty()) {
        return ExitCode.USAGE;
      }
      try (Store store = opened.get()) {
        ApiKeyRecord record = key.record();
        ObjectNode detail = ProblemPrinter.JSON.createObjectNode();
        detail.put("name", record.name());
        detail.put("prefix", record.prefix());
        detail.set("intents", ProblemPrinter.JSON.valueToTree(record.intents()));
        detail.set("approve", ProblemPrinter.JSON.valueToTree(record.approve()));
        detail.put("dry_run_only", record.dryRunOnly());
        detail.put("caller_labels", record.callerLabels());
        detail.put("ui", record.ui());
        record.expiresAt().ifPresent(at -> detail.put("expires_at", at.toString()));
        store
            .keys()
            .create(
                record,
                new AuditEntry(
                    clock.instant(),
                    AuditKind.KEY_CREATED,
                    Actors.of(context),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    detail.toString()));
      } catch (KeyStore.NameTaken taken) {
        context
            .err()
            .println("chatops: " + taken.getMessage() + "; revoke it or choose another name");
        return ExitCode.INVALID;
      }
      context.out().println(key.key());
      context
          .err()
          .println(
              "chatops: created key '"
                  + name
                  + "'"
                  + (dryRunOnly ? " (dry runs only)" : "")
                  + (noCallerLabels ? " (no caller labels)" : "")
                  + (ui ? " (may sign in to the dashboard)" : "")
                  + (approve.isEmpty()
                      ? ""
                      : " (approves " + String.join(",", key.record().approve()) + ")")
                  + (key.record().intents().isEmpty() ? " (triggers nothing)" : "")
                  + "; it is shown once and stored only as a hash");
      return ExitCode.OK;
    }
  }

  /**
   * {@code keys list}: names, prefixes, scopes (to trigger, to approve) and states; never a key.
   */
  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List API keys (never the keys themselves).")
  static final class ListKeys implements Callable<Integer> {
    @ParentCommand private KeysCommand keys;

    @Override
    public Integer call() {
      Optional<Store> opened = keys.store();
      if (opened.isEmpty()) {
        return ExitCode.USAGE;
      }
      Instant now = Clock.systemUTC().instant();
      try (Store store = opened.get()) {
        keys.context
            .out()
            .printf(
                "%-24s %-14s %-10s %-9s %-13s %-3s %-24s %s%n",
                "NAME", "PREFIX", "STATE", "DRY-RUN", "CALLER-LABELS", "UI", "INTENTS", "APPROVE");
        for (ApiKeyRecord key : store.keys().list()) {
          String state =
              key.revokedAt().isPresent()
                  ? "revoked"
                  : key.expiresAt().filter(at -> !at.isAfter(now)).isPresent()
                      ? "expired"
                      : "active";
          keys.context
              .out()
              .printf(
                  "%-24s %-14s %-10s %-9s %-13s %-3s %-24s %s%n",
                  key.name(),
                  key.prefix() + "...",
                  state,
                  key.dryRunOnly() ? "yes" : "no",
                  key.callerLabels() ? "yes" : "no",
                  key.ui() ? "yes" : "no",
                  globs(key.intents()),
                  globs(key.approve()));
        }
      }
      return ExitCode.OK;
    }
  }

  private static String globs(List<String> globs) {
    return globs.isEmpty() ? "-" : String.join(",", globs);
  }

  /** {@code keys revoke NAME}. */
  @Command(
      name = "revoke",
      mixinStandardHelpOptions = true,
      description = "Revoke an API key; the service stops accepting it within seconds.")
  static final class Revoke implements Callable<Integer> {
    @ParentCommand private KeysCommand keys;

    @Parameters(index = "0", paramLabel = "NAME")
    private String name;

    @Override
    public Integer call() {
      Optional<Store> opened = keys.store();
      if (opened.isEmpty()) {
        return ExitCode.USAGE;
      }
      Clock clock = Clock.systemUTC();
      try (Store store = opened.get()) {
        ObjectNode detail = ProblemPrinter.JSON.createObjectNode();
        detail.put("name", name);
        boolean revoked =
            store
                .keys()
                .revoke(
                    name,
                    clock.instant(),
                    new AuditEntry(
                        clock.instant(),
                        AuditKind.KEY_REVOKED,
                        Actors.of(keys.context),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        detail.toString()));
        if (!revoked) {
          keys.context.err().println("chatops: no active key named '" + name + "'");
          return ExitCode.INVALID;
        }
      }
      keys.context.err().println("chatops: revoked key '" + name + "'");
      return ExitCode.OK;
    }
  }
}
