package dev.chatops.notify;

import dev.chatops.config.Secret;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Text helpers the chat formats share. Lengths are counted in UTF-16 units ({@link
 * String#length()}): never fewer than the code points or characters a service counts, so a text
 * within a limit here is within it there too.
 */
public final class Texts {

  /** What a cut text ends with. */
  static final String ELLIPSIS = "\u2026";

  /** Placed between characters that must not combine (backticks, {@code @} and a keyword). */
  static final String ZERO_WIDTH_SPACE = "\u200B";

  /** Shared by the formats: a mapper is thread-safe once built. */
  static final JsonMapper JSON = JsonMapper.builder().build();

  private static final Pattern SECRET_PARTS = Pattern.compile("[/?&=@]");

  private static final Pattern BROADCASTS =
      Pattern.compile("@(everyone|here|channel|room)", Pattern.CASE_INSENSITIVE);

  private Texts() {}

  /**
   * {@code text} fit to be shown: line breaks made {@code \n}, other control characters and
   * direction overrides (which make a text read other than it is) dropped, a lone surrogate (no
   * character at all) replaced by U+FFFD, and broadcast mentions defused ({@link
   * #defuseBroadcasts}): whatever a process printed, a chat shows it and pings no one.
   */
  public static String clean(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        out.append(c).append(text.charAt(++i));
      } else if (Character.isSurrogate(c)) {
        out.append('\uFFFD');
      } else if (c == '\r') {
        out.append('\n');
        if (i + 1 < text.length() && text.charAt(i + 1) == '\n') {
          i++;
        }
      } else if (c == '\n' || c == '\t' || !(Character.isISOControl(c) || isDirectional(c))) {
        out.append(c);
      }
    }
    return defuseBroadcasts(out.toString());
  }

  private static boolean isDirectional(char c) {
    return (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069');
  }

  /** {@link #clean} with the line breaks made spaces: for one-line places (titles, names). */
  static String line(String text) {
    return clean(text).replace('\n', ' ').replace('\t', ' ').strip();
  }

  /**
   * {@code text} in at most {@code max} UTF-16 units: cut at a code point boundary (never between
   * the two halves of a surrogate pair), ending with an ellipsis when cut.
   */
  static String cut(String text, int max) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be at least 1: " + max);
    }
    if (text.length() <= max) {
      return text;
    }
    int end = max - ELLIPSIS.length();
    if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(0, end) + ELLIPSIS;
  }

  /**
   * {@code @everyone}, {@code @here}, {@code @channel}, {@code @room} with a zero-width space after
   * the {@code @}, so that no service reads them as a broadcast mention.
   */
  static String defuseBroadcasts(String text) {
    return BROADCASTS.matcher(text).replaceAll("@" + ZERO_WIDTH_SPACE + "$1");
  }

  /** Backtick runs broken up, so that a text inside a code block cannot close it. */
  static String defuseBackticks(String text) {
    return text.replace("``", "`" + ZERO_WIDTH_SPACE + "`")
        .replace("``", "`" + ZERO_WIDTH_SPACE + "`");
  }

  /** A service asking to wait longer than this is taken at this. */
  static final Duration LONGEST_WAIT = Duration.ofHours(1);

  /**
   * A {@code Retry-After} header in seconds (whole, or decimal as some services send), if there is
   * one this can read; the HTTP date form needs a clock ({@link #retryAfter(HttpHeaders,
   * InstantSource)}). Bounded by {@link #LONGEST_WAIT}.
   */
  static Optional<Duration> retryAfter(HttpHeaders headers) {
    return headers.firstValue("Retry-After").flatMap(Texts::seconds);
  }

  /** {@code Retry-After} in seconds or as an HTTP date against {@code clock}, bounded. */
  static Optional<Duration> retryAfter(HttpHeaders headers, InstantSource clock) {
    return retryAfter(headers)
        .or(
            () ->
                headers
                    .firstValue("Retry-After")
                    .flatMap(Texts::httpDate)
                    .map(date -> Duration.between(clock.instant(), date))
                    .map(wait -> wait.isNegative() ? Duration.ZERO : bounded(wait)));
  }

  /**
   * {@code value} seconds (whole or decimal, not negative) as a duration, at most {@link
   * #LONGEST_WAIT}; empty when it is no such number. Forms this cannot read are ignored, not
   * guessed.
   */
  static Optional<Duration> seconds(String value) {
    String text = value.strip();
    if (!text.matches("[0-9]{1,12}(\\.[0-9]{1,9})?")) {
      return Optional.empty();
    }
    return Optional.of(parse(new BigDecimal(text)));
  }

  /** {@code seconds} as a duration, at most {@link #LONGEST_WAIT}. */
  private static Duration parse(BigDecimal seconds) {
    BigDecimal longest = BigDecimal.valueOf(LONGEST_WAIT.toSeconds());
    BigDecimal kept = seconds.compareTo(longest) > 0 ? longest : seconds;
    return Duration.ofNanos(kept.movePointRight(9).longValueExact());
  }

  private static Optional<Instant> httpDate(String value) {
    try {
      return Optional.of(
          ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static Duration bounded(Duration wait) {
    return wait.compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : wait;
  }

  /**
   * A service's own words about a refusal, fit for {@link Answer} texts: one line, at most 200
   * units, and without the channel's secrets (the address, each long part of its path, the token),
   * in case a service ever echoes them.
   */
  static String reason(String text, Secret url, Optional<Secret> token) {
    String reason = line(text);
    for (String secret : secretParts(url, token)) {
      reason = reason.replace(secret, "***");
    }
    return cut(reason, 200);
  }

  /**
   * How {@code budget} units are shared among parts that want {@code wants} each: no part gets more
   * than it wants, the short ones are served first and the rest split evenly, so one huge part
   * cannot crowd out the others.
   */
  static int[] share(int[] wants, int budget) {
    Integer[] order = new Integer[wants.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Integer.compare(wants[a], wants[b]));
    int[] shares = new int[wants.length];
    int left = Math.max(0, budget);
    for (int k = 0; k < order.length; k++) {
      int give = Math.min(wants[order[k]], left / (order.length - k));
      shares[order[k]] = give;
      left -= give;
    }
    return shares;
  }

  /**
   * {@code address} as an http(s) URI.
   *
   * @throws IllegalArgumentException naming {@code channel}, never the address (it is a secret)
   */
  static URI address(String address, String channel) {
    URI uri;
    try {
      uri = new URI(address);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "notify channel " + channel + ": its address is not a valid URL");
    }
    if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))
        || uri.getHost() == null) {
      throw new IllegalArgumentException(
          "notify channel " + channel + ": its address is not an http(s) URL with a host");
    }
    return uri;
  }

  /** {@code body} as a JSON object, if it is one (services answer HTML from their proxies too). */
  static Optional<JsonNode> object(String body) {
    try {
      JsonNode node = JSON.readTree(body);
      return node != null && node.isObject() ? Optional.of(node) : Optional.empty();
    } catch (JacksonException e) {
      return Optional.empty();
    }
  }

  private static List<String> secretParts(Secret url, Optional<Secret> token) {
    List<String> parts = new ArrayList<>();
    parts.add(url.reveal());
    token.ifPresent(secret -> parts.add(secret.reveal()));
    String address = url.reveal();
    int query = address.indexOf('?');
    String path = query < 0 ? address : address.substring(0, query);
    for (String part : SECRET_PARTS.split(path, -1)) {
      if (part.length() >= 16) {
        parts.add(part);
      }
    }

    parts.sort((a, b) -> b.length() - a.length()); // longest first: no half-replaced secret
    return parts;
  }
}
