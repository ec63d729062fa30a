package dev.chatops.cli;

import dev.chatops.config.NotifyChannel;
import dev.chatops.intent.Shown;
import dev.chatops.notify.Answer;
import dev.chatops.notify.Channels;
import dev.chatops.notify.Delivery;
import dev.chatops.notify.Event;
import dev.chatops.notify.Notice;
import dev.chatops.store.Outbox;
import dev.chatops.store.Store;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code chatops notify test [CHANNEL]} and {@code chatops notify outbox}. */
@Command(
    name = "notify",
    mixinStandardHelpOptions = true,
    description = "Notification channels: send a test message, look at the outbox.",
    subcommands = {NotifyCommand.Test.class, NotifyCommand.OutboxList.class})
final class NotifyCommand implements Callable<Integer> {

  /** How many characters of an error a text row of {@code notify outbox} shows. */
  private static final int SHOWN_ERROR = 60;

  @ParentCommand private ChatOpsCommand root;
  @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

  private final CliContext context;

  NotifyCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing command: test, outbox");
  }

  /** {@code notify test [CHANNEL]}: one attempt per channel, now, outside the outbox. */
  @Command(
      name = "test",
      mixinStandardHelpOptions = true,
      description = {
        "Sends a test message to one channel, or to every configured one, now (one attempt each,"
            + " not through the outbox), and prints what each service answered: the status, and"
            + " the body of an error.",
        "Exit status: 0 when every channel took it, 1 when one did not, 2 for a usage error."
      })
  static final class Test implements Callable<Integer> {
    @ParentCommand private NotifyCommand notify;

    @Parameters(
        arity = "0..1",
        paramLabel = "CHANNEL",
        description = "A channel's name (see `name` in chatops.yaml); default: every channel.")
    private String channel;

    @Override
    public Integer call() {
      CliContext context = notify.context;
      Optional<CommandConfig> loaded = CommandConfig.load(context, notify.root.config());
      if (loaded.isEmpty()) {
        return ExitCode.USAGE;
      }
      List<NotifyChannel> channels = loaded.get().config().notifyChannels();
      if (channels.isEmpty()) {
        context.err().println("chatops: no notification channel is configured (notify:)");
        return ExitCode.USAGE;
      }
      List<NotifyChannel> chosen =
          channel == null
              ? channels
              : channels.stream().filter(c -> c.name().equals(channel)).toList();
      if (chosen.isEmpty()) {
        context
            .err()
            .println(
                "chatops: no channel is named "
                    + "'"
                    + Shown.cut(channel, 64)
                    + "'"
                    + "; configured: "
                    + String.join(", ", channels.stream().map(NotifyChannel::name).toList()));
        return ExitCode.USAGE;
      }
      Clock clock = Clock.systemUTC();
      Notice notice = testNotice(clock.instant(), loaded.get());
      boolean all = true;
      try (Delivery delivery = new Delivery()) {
        for (NotifyChannel each : chosen) {
          Delivery.Attempt attempt =
              delivery.send(
                  Channels.format(each, clock),
                  each.timeout(),
                  notice,
                  notice.id() + "." + each.name());
          all &= attempt.answer() instanceof Answer.Delivered;
          context.out().println(shown(each, attempt));
        }
      }
      return all ? ExitCode.OK : ExitCode.INVALID;
    }

    private static Notice testNotice(Instant now, CommandConfig settings) {
      return new Notice(
          "test-" + UUID.randomUUID(),
          Event.TEST,
          now,
          "ChatOps test message",
          "Sent by `chatops notify test` from " + hostName() + ": this channel works.",
          List.of(new Notice.Field("host", hostName())),
          Optional.empty(),
          settings.config().server().publicUrl().map(url -> url + "/health"));
    }

    private static String hostName() {
      try {
        return InetAddress.getLocalHost().getHostName();
      } catch (UnknownHostException e) {
        return "this host";
      }
    }

    /** {@code discord: delivered (204)}, {@code slack: refused (403): action_prohibited}. */
    private static String shown(NotifyChannel channel, Delivery.Attempt attempt) {
      String status = attempt.status().isPresent() ? " (" + attempt.status().getAsInt() + ")" : "";
      String verdict =
          switch (attempt.answer()) {
            case Answer.Delivered delivered -> "delivered" + status;
            case Answer.Retry retry -> "not delivered" + status + ": " + retry.why();
            case Answer.Refused refused -> "refused" + status + ": " + refused.why();
          };
      String body =
          attempt.answer() instanceof Answer.Delivered || attempt.body().isBlank()
              ? ""
              : System.lineSeparator() + "  the service answered: " + oneLine(attempt.body());
      return channel.name() + " (" + channel.type().key() + "): " + verdict + body;
    }
  }

  /** {@code notify outbox}: what waits, what was delivered, what was given up. */
  @Command(
      name = "outbox",
      mixinStandardHelpOptions = true,
      description = {
        "The notification outbox, newest first: pending messages (with their attempts and next"
            + " try), delivered ones, and dead letters (given up after a refusal or too many"
            + " attempts, with the last error), after a count of each."
      })
  static final class OutboxList implements Callable<Integer> {
    @ParentCommand private NotifyCommand notify;

    @Option(
        names = "--state",
        defaultValue = "all",
        description = "Which: pending, delivered, dead or all (default: ${DEFAULT-VALUE}).")
    private String state;

    @Option(
        names = "--limit",
        defaultValue = "50",
        description = "How many (1 to 1000; default: ${DEFAULT-VALUE}).")
    private int limit;

    @Option(
        names = "--format",
        defaultValue = "text",
        description = "Output: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    private ReportFormat format;

    @Override
    public Integer call() {
      CliContext context = notify.context;
      Optional<Outbox.State> wanted = Outbox.State.ofKey(state);
      if (wanted.isEmpty() && !state.equals("all")) {
        context.err().println("chatops: --state must be pending, delivered, dead or all");
        return ExitCode.USAGE;
      }
      if (limit < 1 || limit > 1000) {
        context.err().println("chatops: --limit must be from 1 to 1000");
        return ExitCode.USAGE;
      }
      Optional<Store> opened =
          CommandConfig.load(context, notify.root.config())
              .flatMap(settings -> StoreCommands.open(context, settings));
      if (opened.isEmpty()) {
        return ExitCode.USAGE;
      }
      try (Store store = opened.get()) {
        Map<Outbox.State, Long> counts = store.outbox().counts();
        List<Outbox.Item> items = store.outbox().list(wanted, limit);
        if (format == ReportFormat.json) {
          ObjectNode document = ProblemPrinter.JSON.createObjectNode();
          ObjectNode total = document.putObject("counts");
          counts.forEach((key, count) -> total.put(key.key(), count));
          ArrayNode list = document.putArray("items");
          items.forEach(item -> list.add(json(item)));
          context.out().println(ProblemPrinter.JSON.writeValueAsString(document));
          return ExitCode.OK;
        }
        context
            .out()
            .printf(
                "pending %d, delivered %d, dead %d%n",
                counts.get(Outbox.State.PENDING),
                counts.get(Outbox.State.DELIVERED),
                counts.get(Outbox.State.DEAD));
        if (items.isEmpty()) {
          return ExitCode.OK;
        }
        String row = "%-8s %-16s %-20s %-9s %-8s %-20s %s%n";
        context.out().printf(row, "ID", "CHANNEL", "EVENT", "STATE", "ATTEMPTS", "WHEN", "ERROR");
        for (Outbox.Item item : items) {
          context
              .out()
              .printf(
                  row,
                  item.id(),
                  item.message().channel(),
                  item.message().event(),
                  item.state().key(),
                  item.attempts(),
                  second(
                      item.state() == Outbox.State.PENDING
                          ? item.nextAttempt()
                          : item.endedAt().orElse(item.createdAt())),
                  item.lastError().map(error -> cut(oneLine(error))).orElse("-"));
        }
      }
      return ExitCode.OK;
    }

    private static ObjectNode json(Outbox.Item item) {
      ObjectNode node = ProblemPrinter.JSON.createObjectNode();
      node.put("id", item.id());
      node.put("channel", item.message().channel());
      node.put("event", item.message().event());
      node.put("state", item.state().key());
      node.put("attempts", item.attempts());
      node.put("created_at", item.createdAt().toString());
      node.put("next_attempt", item.nextAttempt().toString());
      item.endedAt().ifPresent(at -> node.put("ended_at", at.toString()));
      item.lastError().ifPresent(error -> node.put("last_error", error));
      item.auditSeq().ifPresent(seq -> node.put("audit_seq", seq));
      return node;
    }
  }

  private static String second(Instant at) {
    return at.toString().substring(0, 19);
  }

  private static String oneLine(String text) {
    return text.replaceAll("[\\p{Cntrl}\\s]+", " ").strip();
  }

  private static String cut(String text) {
    return text.length() <= SHOWN_ERROR ? text : text.substring(0, SHOWN_ERROR - 1) + "…";
  }
}
