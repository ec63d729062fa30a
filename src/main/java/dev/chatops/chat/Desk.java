package dev.chatops.chat;

import dev.chatops.chat.ChatReply.Tone;
import dev.chatops.chat.ChatReply.Visibility;
import dev.chatops.config.ChatUser;
import dev.chatops.engine.Approvals;
import dev.chatops.engine.Caller;
import dev.chatops.engine.ExecutionEvents;
import dev.chatops.engine.TriggerOutcome;
import dev.chatops.engine.TriggerRequest;
import dev.chatops.engine.TriggerService;
import dev.chatops.intent.IntentCatalog;
import dev.chatops.store.AuditEntry;
import dev.chatops.store.AuditKind;
import dev.chatops.store.AuditTrail;
import dev.chatops.store.ExecutionRecord;
import dev.chatops.store.ExecutionStatus;
import dev.chatops.store.Store;
import dev.chatops.store.StoreUnavailable;
import java.net.URI;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@link Conversation} of one platform: its configured users and what each may do, the engine
 * behind the commands, and the follow-ups of the runs they start. A user who is not listed may do
 * nothing (audited as a {@code forbidden} denial). Triggers, dry runs and decisions go through the
 * engine with the user's {@link Caller} ({@code slack:U0123ABCD}, the user's intent and approval
 * globs, no caller labels), so its checks, its two-person rule and its audit records apply as for
 * an API key; commands that no execution record tells (status, history, help) are audited as {@code
 * chat.command}.
 *
 * <p>Thread-safe; one per platform. Closing it stops the follow-ups, not the runs.
 */
public final class Desk implements Conversation, AutoCloseable {

  /** Executions listed by {@code history}. */
  static final int HISTORY = 10;

  private static final ObjectMapper JSON = JsonMapper.builder().build();
  private static final Logger LOG = LoggerFactory.getLogger(Desk.class);

  private final Map<String, ChatUser> users;
  private final String platform;
  private final TriggerService triggers;
  private final Store store;
  private final InstantSource clock;
  private final Replies replies;
  private final Relays relays;
  private final Board board;

  /**
   * @param users the platform's users by id ({@code slack.users}, {@code discord.users})
   * @param platform {@code slack} or {@code discord}: the identities this desk serves
   * @param catalog the intents now loaded, to tell the stack of an execution for {@code status}
   * @param publicUrl {@code server.public_url}, for links to executions
   */
  public Desk(
      Map<String, ChatUser> users,
      String platform,
      TriggerService triggers,
      Store store,
      ExecutionEvents events,
      Supplier<IntentCatalog> catalog,
      Optional<URI> publicUrl,
      InstantSource clock) {
    this.users = Map.copyOf(users);
    this.platform = Objects.requireNonNull(platform, "platform");
    this.triggers = triggers;
    this.store = store;
    this.clock = clock;
    this.replies = new Replies(publicUrl);
    this.relays = new Relays(events, store, replies);
    this.board = new Board(store, catalog);
  }

  @Override
  public ChatReply handle(ChatIdentity who, ChatCommand command, String source, FollowUp later) {
    if (!who.platform().equals(platform)) {
      throw new IllegalArgumentException(
          "a " + platform + " desk was handed a " + who.platform() + " identity");
    }
    ChatUser user = users.get(who.userId());
    if (user == null) {
      return unlisted(who, command, source);
    }
    Caller caller = new Caller(who.actor(), user.intents(), user.approve(), false, false, source);
    try {
      return switch (command) {
        case ChatCommand.Run run -> run(who, caller, run, later);
        case ChatCommand.Plan plan -> plan(caller, plan, later);
        case ChatCommand.Decide decide -> decide(who, caller, decide, later);
        case ChatCommand.Status status -> {
          audit(caller, "status", status.stack().map(stack -> Map.of("stack", stack)));
          yield board.status(caller, status.stack(), replies);
        }
        case ChatCommand.History history -> {
          audit(caller, "history", Optional.empty());
          yield replies.list(
              "Last executions", "No execution you may see yet.", board.history(caller, HISTORY));
        }
        case ChatCommand.Help help -> {
          audit(caller, "help", Optional.empty());
          yield help(user);
        }
      };
    } catch (TriggerService.ShuttingDown e) {
      return ChatReply.note(
          Tone.WARNING, "Service stopping", "ChatOps is shutting down: try again in a minute.");
    } catch (StoreUnavailable e) {
      // Nothing acts on a decision that is not on disk: the user is told so, not shown an error.
      LOG.warn(
          "a {} command of {} was not carried out: {}", name(command), who.actor(), e.getMessage());
      return ChatReply.note(
          Tone.DANGER,
          "Not recorded",
          "ChatOps could not record this command, so nothing was done: try again shortly.");
    }
  }

  private ChatReply unlisted(ChatIdentity who, ChatCommand command, String source) {
    ObjectNode detail = JSON.createObjectNode();
    detail.put("command", name(command));
    switch (command) {
      case ChatCommand.Run run -> detail.put("intent", run.intent());
      case ChatCommand.Plan plan -> detail.put("intent", plan.intent());
      case ChatCommand.Decide decide -> detail.put("execution_id", decide.executionId());
      default -> {}
    }
    detail.put("message", who.actor() + " is not a configured " + platform + " user");
    store
        .audit()
        .deny(
            new AuditTrail.Denial(
                clock.instant(), source, "forbidden", who.actor(), detail.toString()));
    return ChatReply.note(
        Tone.DANGER,
        "Not allowed",
        "You ("
            + who.actor()
            + ") are not a ChatOps user here. Ask an operator to add your user id to "
            + platform
            + ".users.");
  }

  private ChatReply run(ChatIdentity who, Caller caller, ChatCommand.Run run, FollowUp later) {
    TriggerOutcome outcome = triggers.trigger(caller, request(run.intent(), run.params(), false));
    if (!(outcome instanceof TriggerOutcome.Accepted accepted)) {
      return refused(outcome);
    }
    ExecutionRecord execution = accepted.execution();
    ChatReply reply =
        execution.status() == ExecutionStatus.PENDING_APPROVAL
            ? replies.approvalRequested(execution, who)
            : replies.accepted(execution);
    relays.follow(execution.id(), later);
    return reply;
  }

  private ChatReply plan(Caller caller, ChatCommand.Plan plan, FollowUp later) {
    TriggerOutcome outcome = triggers.trigger(caller, request(plan.intent(), plan.params(), true));
    if (!(outcome instanceof TriggerOutcome.Accepted accepted)) {
      return refused(outcome);
    }
    // A dry run is planned and recorded in the trigger itself: its steps follow at once.
    ExecutionRecord execution = accepted.execution();
    ChatReply steps = replies.plan(execution);
    relays.sendSoon(later, steps);
    return ChatReply.note(
        Tone.INFO,
        "Dry run: " + execution.intent(),
        "Planned as execution "
            + execution.id()
            + " ("
            + execution.status().key()
            + "); nothing was executed. The steps follow.");
  }

  private static TriggerRequest request(String intent, Map<String, String> params, boolean dry) {
    return new TriggerRequest(intent, params, dry, List.of(), Map.of(), Optional.empty(), "");
  }

  private static ChatReply refused(TriggerOutcome outcome) {
    return switch (outcome) {
      case TriggerOutcome.UnknownIntent unknown ->
          ChatReply.note(
              Tone.DANGER,
              "Unknown intent",
              "No intent named '" + Replies.shown(unknown.intent()) + "'.");
      case TriggerOutcome.Forbidden forbidden ->
          ChatReply.note(Tone.DANGER, "Not allowed", forbidden.reason());
      case TriggerOutcome.Invalid invalid ->
          ChatReply.note(Tone.DANGER, "Invalid parameters", String.join("\n", invalid.errors()));
      case TriggerOutcome.Conflict conflict ->
          ChatReply.note(
              Tone.DANGER, "Conflict", "Conflicts with execution " + conflict.executionId() + ".");
      case TriggerOutcome.Accepted accepted ->
          throw new IllegalArgumentException("an accepted trigger is no refusal");
    };
  }

  private ChatReply decide(
      ChatIdentity who, Caller caller, ChatCommand.Decide decide, FollowUp later) {
    String id = decide.executionId();
    Approvals approvals = triggers.approvals();
    // The approver's follow-up is fresher than the requester's (a response_url or an interaction
    // token expires): an approval that lets the run start takes its news over, before it is
    // recorded, since the run may start and end at once; any other outcome gives them back.
    Runnable giveBack =
        decide.approve() && mayApprove(caller, id) ? relays.takeOver(id, later) : () -> {};
    Approvals.Decision decision =
        decide.approve()
            ? approvals.approve(caller, id, Optional.empty())
            : approvals.deny(caller, id, Optional.empty());
    boolean runs =
        decision instanceof Approvals.Approved approved && approved.given() >= approved.required();
    if (runs) {
      relays.follow(id, later); // followed here already, or from what its events kept so far
    } else {
      giveBack.run();
    }
    String by = Replies.shown(who.name()) + " (" + who.actor() + ")";
    return switch (decision) {
      case Approvals.Approved approved -> {
        ExecutionRecord execution = approved.execution();
        boolean complete = approved.given() >= approved.required();
        yield new ChatReply(
            Visibility.CHANNEL,
            Tone.SUCCESS,
            "Approved: " + execution.intent(),
            by
                + " approved execution "
                + execution.id()
                + " ("
                + approved.given()
                + " of "
                + approved.required()
                + ")."
                + (complete ? " It runs now." : " It waits for more approvals."),
            List.of(
                new ChatReply.Field("intent", execution.intent()),
                new ChatReply.Field("requested by", execution.actor())),
            Optional.empty(),
            List.of(),
            replies.link(execution.id()));
      }
      case Approvals.Denied denied ->
          new ChatReply(
              Visibility.CHANNEL,
              Tone.DANGER,
              "Denied: " + denied.execution().intent(),
              by + " denied execution " + denied.execution().id() + ": it will not run.",
              List.of(
                  new ChatReply.Field("intent", denied.execution().intent()),
                  new ChatReply.Field("requested by", denied.execution().actor())),
              Optional.empty(),
              List.of(),
              replies.link(denied.execution().id()));
      case Approvals.Forbidden forbidden -> forbidden(caller, id, forbidden);
      case Approvals.NotFound notFound ->
          ChatReply.note(
              Tone.DANGER,
              "No such execution",
              "No execution " + notFound.executionId() + " that you may decide.");
      case Approvals.Conflict conflict ->
          ChatReply.note(Tone.WARNING, "Not recorded", conflict.reason() + ".");
    };
  }

  /**
   * Whether {@code caller} could approve {@code id} as it stands: only then may its follow-up take
   * the news over before the engine decides, so that nobody else ever gets them, not even briefly.
   */
  private boolean mayApprove(Caller caller, String id) {
    return id.length() <= 64
        && store
            .executions()
            .find(id)
            .filter(execution -> execution.status() == ExecutionStatus.PENDING_APPROVAL)
            .filter(execution -> caller.mayApprove(execution.intent()))
            .filter(execution -> !execution.actor().equals(caller.actor()))
            .isPresent();
  }

  /** The engine refused the decision; say why, in words a requester understands. */
  private ChatReply forbidden(Caller caller, String id, Approvals.Forbidden forbidden) {
    boolean requester =
        store
            .executions()
            .find(id)
            .map(execution -> execution.actor().equals(caller.actor()))
            .orElse(false);
    String text =
        requester
            ? "You requested this execution, and the two-person rule says someone else must"
                + " approve or deny it. ("
                + forbidden.reason()
                + ")"
            : forbidden.reason() + ".";
    return ChatReply.note(Tone.DANGER, "Not allowed", text);
  }

  private ChatReply help(ChatUser user) {
    String text =
        String.join(
            "\n",
            "<intent> [name=value ...]   run an intent (values may be \"quoted\")",
            "run <intent> [name=value ...]   the same, for an intent named like a command",
            "plan <intent> [name=value ...]   a dry run: the steps a run would execute",
            "status [stack]   running and waiting executions",
            "history   the last " + HISTORY + " executions",
            "approve <id>, deny <id>   decide an execution that waits for approvals",
            "help   this text");
    return new ChatReply(
        Visibility.EPHEMERAL,
        Tone.INFO,
        "ChatOps commands",
        text,
        List.of(
            new ChatReply.Field(
                "you may run", user.intents().isEmpty() ? "nothing" : globs(user.intents())),
            new ChatReply.Field(
                "you may approve", user.approve().isEmpty() ? "nothing" : globs(user.approve()))),
        Optional.empty(),
        List.of(),
        Optional.empty());
  }

  private static String globs(List<String> globs) {
    return String.join(", ", globs);
  }

  private void audit(Caller caller, String command, Optional<Map<String, String>> args) {
    ObjectNode detail = JSON.createObjectNode();
    detail.put("command", command);
    args.ifPresent(values -> values.forEach(detail::put));
    store
        .audit()
        .append(
            new AuditEntry(
                clock.instant(),
                AuditKind.CHAT_COMMAND,
                caller.actor(),
                Optional.of(caller.source()),
                Optional.empty(),
                Optional.empty(),
                detail.toString()));
  }

  private static String name(ChatCommand command) {
    return switch (command) {
      case ChatCommand.Run run -> "run";
      case ChatCommand.Plan plan -> "plan";
      case ChatCommand.Status status -> "status";
      case ChatCommand.History history -> "history";
      case ChatCommand.Decide decide -> decide.approve() ? "approve" : "deny";
      case ChatCommand.Help help -> "help";
    };
  }

  /** How many executions this desk follows for chats now. */
  int followed() {
    return relays.size();
  }

  @Override
  public void close() {
    relays.close();
  }
}
