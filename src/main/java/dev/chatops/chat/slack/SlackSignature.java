package dev.chatops.chat.slack;

import dev.chatops.config.Secret;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Slack's request signature: {@code X-Slack-Signature: v0=HEX}, the HMAC-SHA256 with the app's
 * signing secret of {@code v0:{X-Slack-Request-Timestamp}:{raw body}}, compared in constant time; a
 * timestamp more than {@link #MAX_SKEW} from the clock is refused, so that a captured request
 * cannot be sent again later (within that window, the endpoints remember signatures).
 */
public final class SlackSignature {

  /** How far a request's timestamp may be from the clock, either way: Slack's own advice. */
  public static final Duration MAX_SKEW = Duration.ofMinutes(5);

  private static final Pattern TIMESTAMP = Pattern.compile("[0-9]{1,12}");
  private static final Pattern SIGNATURE = Pattern.compile("v0=[0-9a-f]{64}");

  /** Why a request is not Slack's: fixed words, for the audit trail and the 401's detail. */
  public enum Failure {
    MISSING("missing or repeated signature headers"),
    MALFORMED("malformed signature or timestamp"),
    STALE("stale timestamp"),
    MISMATCH("signature does not match");

    private final String words;

    Failure(String words) {
      this.words = words;
    }

    public String words() {
      return words;
    }
  }

  private final SecretKeySpec key;
  private final InstantSource clock;

  public SlackSignature(Secret signingSecret, InstantSource clock) {
    Objects.requireNonNull(signingSecret, "signingSecret");
    this.key =
        new SecretKeySpec(signingSecret.reveal().getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Checks one request's headers (each sent exactly once) against its raw body.
   *
   * @return empty when Slack signed it within {@link #MAX_SKEW} of now, else why not
   */
  public Optional<Failure> check(
      Optional<String> timestamp, Optional<String> signature, byte[] body) {
    if (timestamp.isEmpty() || signature.isEmpty()) {
      return Optional.of(Failure.MISSING);
    }
    String seconds = timestamp.get().strip();
    String claimed = signature.get().strip();
    if (!TIMESTAMP.matcher(seconds).matches() || !SIGNATURE.matcher(claimed).matches()) {
      return Optional.of(Failure.MALFORMED);
    }
    Instant signedAt = Instant.ofEpochSecond(Long.parseLong(seconds));
    Duration skew = Duration.between(signedAt, clock.instant()).abs();
    if (skew.compareTo(MAX_SKEW) > 0) {
      return Optional.of(Failure.STALE);
    }
    byte[] expected = sign(seconds, body).getBytes(StandardCharsets.US_ASCII);
    return MessageDigest.isEqual(expected, claimed.getBytes(StandardCharsets.US_ASCII))
        ? Optional.empty()
        : Optional.of(Failure.MISMATCH);
  }

  /** {@code v0=HEX} of {@code body} sent at {@code timestamp}: what Slack puts in the header. */
  public String sign(String timestamp, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      mac.update(("v0:" + timestamp + ":").getBytes(StandardCharsets.UTF_8));
      return "v0=" + HexFormat.of().formatHex(mac.doFinal(body));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  /** Shows no secret. */
  @Override
  public String toString() {
    return "SlackSignature";
  }
}
