package dev.chatops.policy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Objects;

/**
 * The API key a request presents, read from its headers: {@code Authorization: Bearer KEY} or
 * {@code X-API-Key: KEY}.
 *
 * <ul>
 *   <li>{@code Authorization}: the scheme {@code Bearer} in any case, one or more spaces, then one
 *       token of RFC 6750's {@code b64token} characters ({@code [A-Za-z0-9._~+/-]+=*}); any other
 *       scheme, a missing or second token, or other characters make it malformed.
 *   <li>{@code X-API-Key}: one token of visible ASCII characters, no spaces.
 *   <li>Leading and trailing spaces and tabs around a header value are not part of it (RFC 9110).
 *   <li>Both headers present: they must carry the same key (compared in constant time), else the
 *       request is {@link Conflicting}: a client that sends two different keys is confused or
 *       probing, and picking one of them would hide that.
 *   <li>A header given more than once is malformed ({@link #fromHeaders}); an empty one too.
 * </ul>
 *
 * Whether the token then is a key at all is the {@link KeyRing}'s business ({@link
 * Rejection#MALFORMED}). Nothing here echoes a header value.
 */
public sealed interface Credentials
    permits Credentials.Presented,
        Credentials.Missing,
        Credentials.Malformed,
        Credentials.Conflicting {

  /** Where the key came from. */
  enum Header {
    AUTHORIZATION,
    X_API_KEY
  }

  /** What is wrong with a header; the texts are safe to log and show. */
  enum Defect {
    EMPTY("an authentication header is empty"),
    REPEATED("an authentication header is given more than once"),
    NOT_BEARER("the Authorization header must use the Bearer scheme: 'Authorization: Bearer KEY'"),
    NOT_ONE_TOKEN("the Authorization header must be 'Bearer' followed by exactly one token"),
    BAD_CHARACTERS("the key contains characters that no key has");

    private final String message;

    Defect(String message) {
      this.message = message;
    }

    public String message() {
      return message;
    }
  }

  /**
   * A key was presented.
   *
   * @param key the presented key, secret; {@link #toString()} never shows it
   * @param header where it came from (the {@code Authorization} header when both agree)
   */
  record Presented(String key, Header header) implements Credentials {
    public Presented {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(header, "header");
    }

    @Override
    public String toString() {
      return "Presented[" + header + ", ***]";
    }
  }

  /** Neither header is present: 401 with a {@code WWW-Authenticate: Bearer} challenge. */
  record Missing() implements Credentials {}

  /**
   * A header is present but not in a form we accept.
   *
   * @param defect what is wrong
   */
  record Malformed(Defect defect) implements Credentials {
    public Malformed {
      Objects.requireNonNull(defect, "defect");
    }
  }

  /** Both headers are present with different keys. */
  record Conflicting() implements Credentials {}

  /**
   * Reads the credentials of a request from its {@code Authorization} and {@code X-API-Key} values,
   * each {@code null} when the header is absent.
   */
  static Credentials from(String authorizationHeader, String apiKeyHeader) {
    Credentials bearer =
        authorizationHeader == null ? new Missing() : CredentialsParser.bearer(authorizationHeader);
    Credentials apiKey =
        apiKeyHeader == null ? new Missing() : CredentialsParser.apiKey(apiKeyHeader);
    if (!(bearer instanceof Presented fromBearer)) {
      return bearer instanceof Missing ? apiKey : bearer;
    }
    if (!(apiKey instanceof Presented fromApiKey)) {
      return apiKey instanceof Missing ? bearer : apiKey;
    }
    boolean same =
        MessageDigest.isEqual(
            fromBearer.key().getBytes(StandardCharsets.UTF_8),
            fromApiKey.key().getBytes(StandardCharsets.UTF_8));
    return same ? bearer : new Conflicting();
  }

  /**
   * Like {@link #from}, from every value of each header as the server received them (an empty list
   * when the header is absent); a header given more than once is {@link Defect#REPEATED}.
   */
  static Credentials fromHeaders(List<String> authorization, List<String> apiKey) {
    if (authorization.size() > 1 || apiKey.size() > 1) {
      return new Malformed(Defect.REPEATED);
    }
    return from(
        authorization.isEmpty() ? null : authorization.getFirst(),
        apiKey.isEmpty() ? null : apiKey.getFirst());
  }
}
