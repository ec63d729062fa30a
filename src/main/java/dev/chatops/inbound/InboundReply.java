package dev.chatops.inbound;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/** How an {@link Inbound} answers: a body of its own, or a problem the HTTP layer renders. */
public sealed interface InboundReply {

  /** A 2xx answer with a body (Slack and Discord read theirs). */
  @SuppressWarnings("ArrayRecordComponent") // bytes to send, never compared
  record Answer(int status, String contentType, byte[] body) implements InboundReply {
    public Answer {
      Objects.requireNonNull(contentType, "contentType");
      Objects.requireNonNull(body, "body");
      if (status < 200 || status > 299) {
        throw new IllegalArgumentException("an answer is 2xx: " + status);
      }
    }
  }

  /**
   * A refusal, rendered as {@code application/problem+json} with the request's path and id.
   *
   * @param detail what the client may learn, never a secret nor more than it needs
   * @param retryAfterSeconds for 429 and 503, when to come back; 0: not said
   */
  record Problem(int status, String detail, long retryAfterSeconds) implements InboundReply {
    public Problem {
      Objects.requireNonNull(detail, "detail");
      if (status < 400 || status > 599) {
        throw new IllegalArgumentException("a problem is 4xx or 5xx: " + status);
      }
    }
  }

  /** 200 with a JSON body. */
  static InboundReply json(String json) {
    return new Answer(200, "application/json", json.getBytes(StandardCharsets.UTF_8));
  }

  /** 204: done, nothing to say. */
  static InboundReply noContent() {
    return new Answer(204, "text/plain", new byte[0]);
  }

  static InboundReply problem(int status, String detail) {
    return new Problem(status, detail, 0);
  }
}
