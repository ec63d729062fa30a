package dev.chatops.github;

import dev.chatops.config.GithubSection;
import dev.chatops.engine.TriggerService;
import dev.chatops.inbound.Inbound;
import dev.chatops.inbound.InboundReply;
import dev.chatops.inbound.InboundRequest;
import dev.chatops.inbound.Refusals;
import dev.chatops.store.AuditEntry;
import dev.chatops.store.AuditKind;
import dev.chatops.store.Store;
import dev.chatops.store.StoreUnavailable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code POST /hooks/github}: a GitHub webhook delivery. In this order, each refusal audited: the
 * client's address against the section's {@code sources} (403), a JSON content type (415), the
 * signature over the raw body (401), the delivery and event headers (400), a replayed delivery or
 * body (401), the body's shape (400). Then {@code ping} is answered, a merged pull request runs the
 * intents of the rules it matches ({@link MergeRuns}), and any other delivery is acknowledged and
 * recorded as {@code hook.received} with why nothing ran.
 */
public final class GithubHook implements Inbound {

  public static final String PATH = "/hooks/github";

  /** The {@link dev.chatops.store.Deliveries} source of GitHub's deliveries. */
  static final String SOURCE = "github";

  /** GitHub's delivery ids are GUIDs; an id of this shape is taken (never one like an option). */
  private static final Pattern DELIVERY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]{0,99}");

  private static final long RETRY_SECONDS = 30;

  private final GithubSection section;
  private final GithubSignature signature;
  private final Refusals refusals;
  private final Store store;
  private final MergeRuns runs;

  public GithubHook(
      GithubSection section, Refusals refusals, TriggerService triggers, Store store) {
    this.section = Objects.requireNonNull(section, "section");
    this.signature = new GithubSignature(section.webhookSecret());
    this.refusals = Objects.requireNonNull(refusals, "refusals");
    this.store = Objects.requireNonNull(store, "store");
    this.runs = new MergeRuns(triggers);
  }

  @Override
  public String path() {
    return PATH;
  }

  @Override
  public InboundReply handle(InboundRequest request) {
    try {
      return receive(request);
    } catch (StoreUnavailable e) {
      return new InboundReply.Problem(503, "the store is unavailable; retry later", RETRY_SECONDS);
    } catch (TriggerService.ShuttingDown e) {
      return new InboundReply.Problem(503, "the service is shutting down", RETRY_SECONDS);
    }
  }

  private InboundReply receive(InboundRequest request) {
    if (!section.sources().isEmpty()
        && section.sources().stream().noneMatch(cidr -> cidr.contains(request.client()))) {
      return refuse(request, Refusals.IP_DENIED, 403, "source address not in github.sources");
    }
    if (!request.mediaType().equals("application/json")) {
      return refuse(
          request,
          "bad_request",
          415,
          "the body must be application/json: set the webhook's content type to application/json");
    }
    // Nothing of the body is read before its signature holds.
    if (!signature.verifies(request.header("X-Hub-Signature-256"), request.body())) {
      String detail =
          request.header("X-Hub-Signature-256").isEmpty()
              ? "missing or repeated signature"
              : "bad signature";
      return refuse(request, Refusals.BAD_SIGNATURE, 401, detail);
    }
    Optional<String> delivery =
        request.header("X-GitHub-Delivery").filter(id -> DELIVERY.matcher(id).matches());
    if (delivery.isEmpty()) {
      return refuse(request, "bad_request", 400, "one X-GitHub-Delivery id is required");
    }
    Optional<String> event =
        request.header("X-GitHub-Event").filter(name -> GithubEvent.EVENT.matcher(name).matches());
    if (event.isEmpty()) {
      return refuse(request, "bad_request", 400, "one X-GitHub-Event name is required");
    }
    // The signature covers the body alone, not the delivery header: a captured body sent again
    // under a new delivery id is as much a replay as the same delivery sent twice.
    boolean newDelivery = store.deliveries().remember(SOURCE, delivery.get(), request.receivedAt());
    boolean newBody =
        store.deliveries().remember(SOURCE, digest(request.body()), request.receivedAt());
    if (!newDelivery || !newBody) {
      return refuse(request, Refusals.BAD_SIGNATURE, 401, "replayed delivery");
    }
    Receipt receipt = new Receipt(event.get(), delivery.get());
    return switch (GithubEvent.read(event.get(), request.body())) {
      case GithubEvent.Malformed malformed ->
          refuse(
              request, "bad_request", 400, "malformed " + event.get() + ": " + malformed.reason());
      case GithubEvent.Parsed(GithubEvent.Ping ping) -> {
        receipt.detail().put("hook_id", ping.hookId());
        yield acknowledge(request, receipt, "-", "ping");
      }
      case GithubEvent.Parsed(GithubEvent.PullRequest pr) -> pullRequest(request, receipt, pr);
      case GithubEvent.Parsed(GithubEvent.Other other) -> {
        receipt.detail().put("action", other.action()).put("repo", other.repo());
        yield acknowledge(request, receipt, "-", "event " + other.event() + " runs nothing");
      }
    };
  }

  private InboundReply pullRequest(
      InboundRequest request, Receipt receipt, GithubEvent.PullRequest pr) {
    receipt.detail().put("action", pr.action()).put("repo", pr.repo()).put("pr", pr.number());
    if (!pr.action().equals("closed")) {
      return acknowledge(request, receipt, "-", "action " + pr.action() + " runs nothing");
    }
    if (!pr.merged()) {
      return acknowledge(request, receipt, "-", "closed without merge");
    }
    String actor = "github:" + pr.mergedBy();
    receipt.detail().put("sha", pr.mergeCommitSha());
    receipt.detail().set("labels", Receipt.JSON.valueToTree(pr.labels()));
    List<RuleMatch.Run> matched = RuleMatch.runs(section.rules(), pr);
    if (matched.isEmpty()) {
      return acknowledge(request, receipt, actor, RuleMatch.whyNone(section.rules(), pr));
    }
    MergeRuns.Outcome outcome = runs.run(matched, pr, actor, request.source(), receipt.delivery());
    receipt.detail().set("started", outcome.started());
    receipt.detail().set("refused", outcome.refused());
    if (outcome.started().isEmpty()) {
      receipt.detail().put("why", "every run was refused");
    }
    record(request, receipt, actor);
    return new InboundReply.Answer(
        outcome.started().isEmpty() ? 200 : 202, "application/json", receipt.bytes());
  }

  /** A delivery that runs nothing: 200, and recorded with why. */
  private InboundReply acknowledge(
      InboundRequest request, Receipt receipt, String actor, String why) {
    receipt.detail().put("why", why);
    record(request, receipt, actor);
    return new InboundReply.Answer(200, "application/json", receipt.bytes());
  }

  private void record(InboundRequest request, Receipt receipt, String actor) {
    store
        .audit()
        .append(
            new AuditEntry(
                request.receivedAt(),
                AuditKind.HOOK_RECEIVED,
                actor,
                Optional.of(request.source()),
                Optional.empty(),
                Optional.empty(),
                receipt.detail().toString()));
  }

  private InboundReply refuse(InboundRequest request, String reason, int status, String detail) {
    refusals.refuse(request.client(), request.source(), reason, "-", detail);
    return InboundReply.problem(status, detail);
  }

  /** The id a body is remembered by: 71 characters, within a delivery id's 128. */
  private static String digest(byte[] body) {
    try {
      return "sha256:"
          + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }

  /** What the answer says and the audit record keeps: the same JSON. */
  private record Receipt(String delivery, ObjectNode detail) {
    static final ObjectMapper JSON = JsonMapper.builder().build();

    Receipt(String event, String delivery) {
      this(delivery, JSON.createObjectNode().put("event", event).put("delivery", delivery));
    }

    byte[] bytes() {
      return detail.toString().getBytes(StandardCharsets.UTF_8);
    }
  }

  @Override
  public String toString() {
    return "GithubHook[" + section + "]";
  }
}
