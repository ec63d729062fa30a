package dev.chatops.chat.slack;

import dev.chatops.config.SlackSection;
import dev.chatops.inbound.InboundReply;
import dev.chatops.inbound.InboundRequest;
import dev.chatops.inbound.Refusals;
import dev.chatops.store.Deliveries;
import java.time.InstantSource;
import java.util.Objects;
import java.util.Optional;

/**
 * What both Slack endpoints check before they read a request, in this order: the section's {@code
 * sources} (403), the signature and its timestamp (401), a replay of a signature already seen (401;
 * remembered in the store, so across restarts too), then the body's type (415) and form (400).
 * Every refusal is audited; nothing of the body is read before the signature holds.
 */
final class SlackGate {

  static final String FORM = "application/x-www-form-urlencoded";

  /** The source word of remembered signatures in {@link Deliveries}. */
  static final String DELIVERIES = "slack";

  /** What the gate decided. */
  sealed interface Checked {}

  /** A signed, fresh, first-seen form. */
  record Admitted(SlackForm form) implements Checked {}

  /** Refused and audited: the problem to answer. */
  record Refused(InboundReply.Problem problem) implements Checked {}

  private final SlackSection section;
  private final SlackSignature signature;
  private final Refusals refusals;
  private final Deliveries deliveries;

  SlackGate(SlackSection section, Refusals refusals, Deliveries deliveries, InstantSource clock) {
    this.section = Objects.requireNonNull(section, "section");
    this.signature = new SlackSignature(section.signingSecret(), clock);
    this.refusals = Objects.requireNonNull(refusals, "refusals");
    this.deliveries = Objects.requireNonNull(deliveries, "deliveries");
  }

  Checked check(InboundRequest request) {
    if (!section.sources().isEmpty()
        && section.sources().stream().noneMatch(cidr -> cidr.contains(request.client()))) {
      return refuse(request, Refusals.IP_DENIED, 403, "source address not in slack.sources");
    }
    Optional<String> claimed = request.header("X-Slack-Signature");
    Optional<SlackSignature.Failure> failure =
        signature.check(request.header("X-Slack-Request-Timestamp"), claimed, request.body());
    if (failure.isPresent()) {
      return refuse(request, Refusals.BAD_SIGNATURE, 401, failure.get().words());
    }
    // A valid signature is unique to its timestamp and body: seen twice, it is a replay.
    if (!deliveries.remember(DELIVERIES, claimed.orElseThrow().strip(), request.receivedAt())) {
      return refuse(request, Refusals.BAD_SIGNATURE, 401, "replayed request");
    }
    if (!request.mediaType().equals(FORM)) {
      return refuse(request, "bad_request", 415, "the body is not " + FORM);
    }
    Optional<SlackForm> form = SlackForm.parse(request.body());
    if (form.isEmpty()) {
      return refuse(
          request, "bad_request", 400, "the body is not a form of distinct, well-encoded fields");
    }
    return new Admitted(form.get());
  }

  /** Audits a refusal of a request that passed the gate, but whose content is wrong. */
  InboundReply refuseContent(InboundRequest request, String actor, String detail) {
    refusals.refuse(request.client(), request.source(), "bad_request", actor, detail);
    return InboundReply.problem(400, detail);
  }

  private Refused refuse(InboundRequest request, String reason, int status, String detail) {
    refusals.refuse(request.client(), request.source(), reason, "-", detail);
    return new Refused(new InboundReply.Problem(status, detail, 0));
  }
}
