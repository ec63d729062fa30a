package dev.chatops.config;

import dev.chatops.policy.IpLiteral;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Notification addresses: short URLs ({@code discord://ID/TOKEN}) resolved to the service's full
 * https address, and full addresses checked. An address is a secret (it holds a token), so no
 * message here ever holds the text or a part of it: they say what shape was expected.
 *
 * <p>Query strings: only a generic webhook's full or short address may carry one (the receiver's
 * own parameters); the other services' addresses are a base the channel builds paths on, or a
 * webhook whose query the channel may set itself. Fragments are never sent, so none is accepted.
 * Full addresses never carry credentials ({@code user:pass@}): tokens go in {@code token_file}.
 */
final class NotifyUrls {

  /**
   * A resolved address.
   *
   * @param url the full address (see {@link NotifyChannel#url()})
   * @param token the token the short URL held (Matrix, ntfy, never Gotify: its token is in the url)
   * @param room the Matrix room the short URL named
   */
  record Resolved(String url, Optional<String> token, Optional<String> room) {}

  private static final Pattern SCHEME =
      Pattern.compile("([A-Za-z][A-Za-z0-9+.-]{0,31})://(.*)", Pattern.DOTALL);
  // No nested quantifiers (backtracking): a host is checked loosely here, by the URI parser and
  // the HTTP client after.
  private static final String HOST = "([A-Za-z0-9][A-Za-z0-9.-]{0,252}|\\[[0-9A-Fa-f:.]{2,45}\\])";
  private static final String AUTHORITY = HOST + "(?::([0-9]{1,5}))?";
  private static final String PCHARS = "(?:[A-Za-z0-9._~!$&'()*+,;=:@/-]|%[0-9A-Fa-f]{2})*";
  private static final Pattern DISCORD = Pattern.compile("([0-9]{1,25})/([A-Za-z0-9_-]{1,200})");
  private static final Pattern SLACK =
      Pattern.compile("(T[A-Z0-9]{1,32})/(B[A-Z0-9]{1,32})/([A-Za-z0-9]{1,64})");
  private static final Pattern MATRIX =
      Pattern.compile("(?:([^@/?#]{1,1024})@)?" + AUTHORITY + "/([^/?#]{1,512})");
  private static final Pattern NTFY =
      Pattern.compile("(?:([^@/?#]{1,1024})@)?" + AUTHORITY + "/([A-Za-z0-9_-]{1,64})");
  private static final Pattern GOTIFY = Pattern.compile(AUTHORITY + "/([A-Za-z0-9._-]{1,128})");
  private static final Pattern GENERIC =
      Pattern.compile(AUTHORITY + "(/" + PCHARS + ")?(\\?" + PCHARS.replace("/-]", "/?-]") + ")?");
  private static final Pattern ROOM =
      Pattern.compile("![^\\s:]{1,255}:[A-Za-z0-9.-]{1,255}(?::[0-9]{1,5})?");
  private static final Pattern TOKEN = Pattern.compile("[\\x21-\\x7e]{1,1024}");

  private NotifyUrls() {}

  /** The service a short URL's scheme names ({@code discord://...}), if it is one. */
  static Optional<NotifyChannel.Type> shortType(String text) {
    Matcher matcher = SCHEME.matcher(text);
    if (!matcher.matches()) {
      return Optional.empty();
    }
    String scheme = matcher.group(1).toLowerCase(Locale.ROOT);
    for (NotifyChannel.Type type : NotifyChannel.Type.values()) {
      if (type.key().equals(scheme)) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }

  /** Whether {@code text} starts like a full address ({@code https://}, {@code http://}). */
  static boolean isFull(String text) {
    String lower = text.toLowerCase(Locale.ROOT);
    return lower.startsWith("https://") || lower.startsWith("http://");
  }

  /** Whether {@code text} is written with the plain {@code http://} scheme. */
  static boolean isPlainHttp(String text) {
    return text.toLowerCase(Locale.ROOT).startsWith("http://");
  }

  /**
   * A short URL of {@code type} ({@link #shortType}) resolved to the full https address.
   *
   * @throws IllegalArgumentException saying which shape was expected, never holding the text
   */
  static Resolved resolveShort(NotifyChannel.Type type, String text) {
    Matcher scheme = SCHEME.matcher(text);
    if (!scheme.matches()) {
      throw new IllegalArgumentException(expected(type));
    }
    String rest = scheme.group(2);
    return switch (type) {
      case DISCORD -> {
        Matcher m = matching(DISCORD, rest, type);
        yield plain("https://discord.com/api/webhooks/" + m.group(1) + "/" + m.group(2));
      }
      case SLACK -> {
        Matcher m = matching(SLACK, rest, type);
        yield plain(
            "https://hooks.slack.com/services/" + m.group(1) + "/" + m.group(2) + "/" + m.group(3));
      }
      case MATRIX -> {
        Matcher m = matching(MATRIX, rest, type);
        Optional<String> token = token(m.group(1), type);
        String room = decode(m.group(4), type);
        if (!ROOM.matcher(room).matches()) {
          throw new IllegalArgumentException(
              "the room of a Matrix short URL must be a room id (%21id%3Aserver), percent-encoded"
                  + " or not; an alias (#room:server) must be resolved to its id first");
        }
        yield new Resolved(base(m.group(2), m.group(3), type), token, Optional.of(room));
      }
      case NTFY -> {
        Matcher m = matching(NTFY, rest, type);
        yield new Resolved(
            base(m.group(2), m.group(3), type) + "/" + m.group(4),
            token(m.group(1), type),
            Optional.empty());
      }
      case GOTIFY -> {
        Matcher m = matching(GOTIFY, rest, type);
        yield new Resolved(
            base(m.group(1), m.group(2), type), Optional.of(m.group(3)), Optional.empty());
      }
      case WEBHOOK -> {
        Matcher m = matching(GENERIC, rest, type);
        String path = m.group(3) == null ? "/" : m.group(3);
        String query = m.group(4) == null ? "" : m.group(4);
        yield plain(base(m.group(1), m.group(2), type) + path + query);
      }
    };
  }

  /**
   * A full address for {@code type}: https, or http to a loopback address, or to any host when
   * {@code allowHttp}; no credentials, no fragment, a query for generic webhooks only, no {@code .}
   * or {@code ..} segments. Matrix and Gotify addresses are a server's base, kept without a
   * trailing slash; the others name the webhook or topic itself, so they need a path.
   *
   * @throws IllegalArgumentException saying what is wrong, never holding the text
   */
  static String checkFull(NotifyChannel.Type type, String text, boolean allowHttp) {
    URI uri = absolute(text);
    if (uri.getRawQuery() != null && type != NotifyChannel.Type.WEBHOOK) {
      throw new IllegalArgumentException(type.key() + " addresses take no query string (?...)");
    }
    String path = uri.getRawPath();
    boolean base = type == NotifyChannel.Type.MATRIX || type == NotifyChannel.Type.GOTIFY;
    if (!base && (path.isEmpty() || path.equals("/"))) {
      throw new IllegalArgumentException(
          type.key() + " addresses name the webhook or topic: they need a path");
    }
    if (uri.getScheme().equalsIgnoreCase("http") && !allowHttp && !loopback(uri.getHost())) {
      throw new IllegalArgumentException(
          "plain http:// is only allowed to a loopback address (127.0.0.0/8, ::1, localhost);"
              + " use https://, or set allow_http: true to send in clear");
    }
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    String rest = text.substring(uri.getScheme().length());
    String full = scheme + rest;
    return base ? stripTrailingSlashes(full) : full;
  }

  /**
   * {@code server.public_url}: https, or http to a loopback address; no credentials, query or
   * fragment; without trailing slashes, so that paths append with one.
   */
  static URI publicUrl(String text) {
    URI uri = absolute(text);
    if (uri.getRawQuery() != null) {
      throw new IllegalArgumentException("takes no query string (?...)");
    }
    if (uri.getScheme().equalsIgnoreCase("http") && !loopback(uri.getHost())) {
      throw new IllegalArgumentException(
          "must be an https:// address (plain http:// only to a loopback address: 127.0.0.0/8,"
              + " ::1, localhost)");
    }
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    return URI.create(stripTrailingSlashes(scheme + text.substring(uri.getScheme().length())));
  }

  /** An absolute http(s) address with a host, no credentials, no fragment, no dot segments. */
  private static URI absolute(String text) {
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      // Its message quotes the text: never passed on.
      throw new IllegalArgumentException("is not a valid address");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!uri.isAbsolute() || uri.isOpaque() || !(scheme.equals("https") || scheme.equals("http"))) {
      throw new IllegalArgumentException("must be an https:// address");
    }
    if (uri.getRawUserInfo() != null) {
      throw new IllegalArgumentException(
          "must not hold credentials (user:password@): give a token in token_file");
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("has no valid host name");
    }
    if (uri.getPort() > 65535) {
      throw new IllegalArgumentException("the port must be from 1 to 65535");
    }
    if (uri.getRawFragment() != null) {
      throw new IllegalArgumentException("takes no fragment (#...)");
    }
    for (String segment : uri.getRawPath().split("/", -1)) {
      if (segment.equals(".") || segment.equals("..")) {
        throw new IllegalArgumentException("must not hold . or .. path segments");
      }
    }
    return uri;
  }

  /** Whether {@code text} is a Matrix room id ({@code !id:server}) or alias ({@code #a:server}). */
  static boolean isRoom(String text) {
    return ROOM.matcher(text).matches();
  }

  /** localhost, 127.0.0.0/8 or ::1, as written: never resolved. */
  static boolean loopback(String host) {
    if (host.equalsIgnoreCase("localhost")) {
      return true;
    }
    String literal =
        host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    return IpLiteral.parse(literal).map(InetAddress::isLoopbackAddress).orElse(false);
  }

  private static String stripTrailingSlashes(String text) {
    int end = text.length();
    int authority = text.indexOf("://") + 3;
    while (end > authority && text.charAt(end - 1) == '/') {
      end--;
    }
    return text.substring(0, end);
  }

  private static Matcher matching(Pattern pattern, String rest, NotifyChannel.Type type) {
    Matcher matcher = pattern.matcher(rest);
    if (!matcher.matches()) {
      throw new IllegalArgumentException(expected(type));
    }
    return matcher;
  }

  private static Resolved plain(String url) {
    return new Resolved(url, Optional.empty(), Optional.empty());
  }

  /** {@code https://HOST[:PORT]}, the host and port checked. */
  private static String base(String host, String port, NotifyChannel.Type type) {
    if (host.startsWith("[") && IpLiteral.parse(host.substring(1, host.length() - 1)).isEmpty()) {
      throw new IllegalArgumentException(expected(type));
    }
    if (port != null) {
      int number = Integer.parseInt(port);
      if (number < 1 || number > 65535) {
        throw new IllegalArgumentException("the port must be from 1 to 65535");
      }
      return "https://" + host + ":" + number;
    }
    return "https://" + host;
  }

  private static Optional<String> token(String written, NotifyChannel.Type type) {
    if (written == null) {
      return Optional.empty();
    }
    String token = decode(written, type);
    if (!TOKEN.matcher(token).matches()) {
      throw new IllegalArgumentException(
          "the token of a " + type.key() + " short URL must be printable ASCII without spaces");
    }
    return Optional.of(token);
  }

  /** Strict percent-decoding to UTF-8 ({@code +} stays itself). */
  private static String decode(String text, NotifyChannel.Type type) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '%') {
        if (i + 2 >= text.length()
            || Character.digit(text.charAt(i + 1), 16) < 0
            || Character.digit(text.charAt(i + 2), 16) < 0) {
          throw new IllegalArgumentException(expected(type) + ": a % must start an escape (%XX)");
        }
        bytes.write(
            Character.digit(text.charAt(i + 1), 16) * 16 + Character.digit(text.charAt(i + 2), 16));
        i += 2;
      } else if (c < 0x21 || c > 0x7e) {
        throw new IllegalArgumentException(expected(type));
      } else {
        bytes.write(c);
      }
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException(expected(type) + ": its escapes are not UTF-8");
    }
  }

  /** What a short URL of {@code type} looks like, for messages. */
  static String expected(NotifyChannel.Type type) {
    return switch (type) {
      case DISCORD -> "not a Discord webhook address (discord://ID/TOKEN)";
      case SLACK -> "not a Slack webhook address (slack://T.../B.../X...)";
      case MATRIX -> "not a Matrix address (matrix://TOKEN@HOST[:PORT]/ROOM)";
      case NTFY -> "not an ntfy address (ntfy://[TOKEN@]HOST[:PORT]/TOPIC)";
      case GOTIFY -> "not a Gotify address (gotify://HOST[:PORT]/APPTOKEN)";
      case WEBHOOK -> "not a generic webhook address (generic://HOST[:PORT]/PATH)";
    };
  }
}
