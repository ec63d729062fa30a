package dev.chatops.exec;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes secrets from text before it is stored or sent anywhere: every known secret value, and
 * values that look like credentials.
 *
 * <p>What looks like a credential:
 *
 * <ul>
 *   <li>the value of a key whose name ends in {@code PASS}, {@code PASSWORD}, {@code PASSWD},
 *       {@code PASSPHRASE}, {@code SECRET}, {@code TOKEN}, {@code KEY} or {@code CREDENTIAL(S)},
 *       either as the whole name or after a {@code _}, {@code -} or {@code .} ({@code DB_PASS},
 *       {@code AWS_SECRET_ACCESS_KEY}, {@code x-api-key}), or in camel case ({@code clientSecret}),
 *       in any case, written {@code K=V}, {@code K: V} (a space after the colon, as YAML and HTTP
 *       headers write it) or as JSON ({@code "password": "hunter2"}); quoted values keep their
 *       quotes;
 *   <li>{@code Authorization} values ({@code Bearer}, {@code Basic}, {@code Token} or bare);
 *   <li>the password of a URL ({@code https://user:***@host});
 *   <li>PEM private key blocks ({@code -----BEGIN ... PRIVATE KEY-----} to its end, also across
 *       lines: see {@link #lines()});
 *   <li>tokens with a published shape: ChatOps API keys, GitHub, GitLab and Slack tokens, AWS
 *       access key ids, JSON Web Tokens, and the secret part of Discord and Slack webhook
 *       addresses.
 * </ul>
 *
 * A name must end at the suffix: {@code BYPASS}, {@code monkey} and {@code COMPOSE_PROJECT_NAME}
 * are not secrets, and neither are image digests ({@code sha256:...}) or container ids, which no
 * secret name precedes. {@code K:V} without a space is not read as a secret either, so an image
 * named {@code org/token:1.2} keeps its tag.
 *
 * <p>Thread-safe and stateless; {@link #lines()} gives a stateful view for one stream of lines.
 */
public final class Redactor {

  /** What replaces a secret. */
  public static final String MASK = "***";

  private static final int MIN_SECRET_LENGTH = 4;

  private static final String NAME_CHAR = "A-Za-z0-9_.\\-";
  private static final String SUFFIX =
      "(?i:passwords?|passwd|passphrase|pass|secrets?|tokens?|api[_-]?key|keys?|credentials?)";
  private static final String CAMEL_SUFFIX =
      "(?:Passwords?|Passwd|Passphrase|Pass|Secrets?|Tokens?|Keys?|Credentials?)";

  /** A secret's name: snake, kebab or dotted with the suffix last, or camel case. */
  private static final String NAME =
      "(?<!["
          + NAME_CHAR
          + "])(?:(?:["
          + NAME_CHAR
          + "]*[_.\\-])?"
          + SUFFIX
          + "|[a-z][A-Za-z0-9]*?"
          + CAMEL_SUFFIX
          + ")(?!["
          + NAME_CHAR
          + "])";

  private static final String QUOTED = "\"(?:[^\"\\\\\\n]|\\\\.)*+\"|'[^'\\n]*+'";

  /** An unquoted value; never the start of a private key block, which is masked whole. */
  private static final String BARE = "(?!-----BEGIN )[^\\s'\",;&}\\]]++";

  /** A private key block, to its end or the end of the text; masked before anything else. */
  private static final Pattern PRIVATE_KEY =
      Pattern.compile(
          "(-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY[A-Z ]{0,20}-----)"
              + "(?s:.*?)"
              + "(-----END [A-Z0-9 ]{0,40}PRIVATE KEY[A-Z ]{0,20}-----|\\z)");

  private static final String AUTHORIZATION =
      "(?<auth>(?i:(?:proxy-)?authorization)\"?[ \\t]*[:=][ \\t]*\"?"
          + "(?:(?i:bearer|basic|token|digest)\\s+)?)[^\\s\"',;]++";
  private static final String URL_PASSWORD = "(?<url>://[^/\\s:@]++:)[^/\\s@]++(?<at>@)";
  private static final String JSON_PAIR =
      "(?<json>\"" + NAME + "\"\\s*:\\s*)(?<jsonValue>" + QUOTED + "|" + BARE + ")";
  private static final String PAIR =
      "(?<pair>" + NAME + "(?:[ \\t]*=[ \\t]*|:[ \\t]+))(?<pairValue>" + QUOTED + "|" + BARE + ")";
  private static final String WEBHOOK =
      "(?<hook>(?:discord(?:app)?\\.com/api/webhooks/\\d++/|hooks\\.slack\\.com/services/))"
          + "[A-Za-z0-9_/\\-]++";
  private static final String TOKEN_SHAPES =
      "(?<![A-Za-z0-9_\\-])(?:chk_[A-Za-z0-9_\\-]{43}"
          + "|gh[pousr]_[A-Za-z0-9]{36,255}"
          + "|github_pat_[A-Za-z0-9_]{22,255}"
          + "|glpat-[A-Za-z0-9_\\-]{20,}"
          + "|xox[abposr]-[A-Za-z0-9\\-]{10,}"
          + "|(?:AKIA|ASIA)[0-9A-Z]{16}"
          + "|eyJ[A-Za-z0-9_\\-]{8,}\\.eyJ[A-Za-z0-9_\\-]{8,}\\.[A-Za-z0-9_\\-]{8,})"
          + "(?![A-Za-z0-9_\\-])";

  private static final Pattern CREDENTIALS =
      Pattern.compile(
          String.join("|", AUTHORIZATION, URL_PASSWORD, JSON_PAIR, PAIR, WEBHOOK, TOKEN_SHAPES));
  private static final Pattern PEM_BEGIN =
      Pattern.compile("-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY[A-Z ]{0,20}-----");
  private static final Pattern PEM_END =
      Pattern.compile("-----END [A-Z0-9 ]{0,40}PRIVATE KEY[A-Z ]{0,20}-----");

  private final List<String> secrets;

  /** A redactor for the given secret values; values shorter than 4 characters are ignored. */
  public Redactor(List<String> secrets) {
    List<String> usable = new ArrayList<>();
    for (String secret : secrets) {
      if (secret != null && secret.length() >= MIN_SECRET_LENGTH) {
        usable.add(secret);
      }
    }
    usable.sort(Comparator.comparingInt(String::length).reversed());
    this.secrets = List.copyOf(usable);
  }

  /** A redactor that only masks credential-looking values. */
  public static Redactor patternsOnly() {
    return new Redactor(List.of());
  }

  /**
   * The text with every known secret and every credential-looking value masked. A private key block
   * that does not end in {@code text} is masked to its end.
   */
  public String redact(String text) {
    String out = text;
    for (String secret : secrets) {
      if (out.contains(secret)) {
        out = out.replace(secret, MASK);
      }
    }
    if (out.contains("-----BEGIN ")) {
      out = PRIVATE_KEY.matcher(out).replaceAll("$1" + MASK + "$2");
    }
    Matcher matcher = CREDENTIALS.matcher(out);
    if (!matcher.find()) {
      return out;
    }
    StringBuilder result = new StringBuilder(out.length());
    do {
      matcher.appendReplacement(result, Matcher.quoteReplacement(replacement(matcher)));
    } while (matcher.find());
    matcher.appendTail(result);
    return result.toString();
  }

  private static String replacement(Matcher matcher) {
    if (matcher.group("auth") != null) {
      return matcher.group("auth") + MASK;
    }
    if (matcher.group("url") != null) {
      return matcher.group("url") + MASK + matcher.group("at");
    }
    if (matcher.group("json") != null) {
      return matcher.group("json") + masked(matcher.group("jsonValue"));
    }
    if (matcher.group("pair") != null) {
      return matcher.group("pair") + masked(matcher.group("pairValue"));
    }
    if (matcher.group("hook") != null) {
      return matcher.group("hook") + MASK;
    }
    return MASK;
  }

  /** A quoted value keeps its quotes. */
  private static String masked(String value) {
    char first = value.charAt(0);
    return (first == '"' || first == '\'') && value.length() >= 2 ? first + MASK + first : MASK;
  }

  /**
   * A redactor for one stream of lines (a process's stdout, say): like {@link #redact}, and a
   * private key block that begins on one line masks every following line up to its end.
   *
   * <p>Not thread-safe: one per stream.
   */
  public Lines lines() {
    return new Lines(this);
  }

  /** Redacts consecutive lines of one stream, remembering an open private key block. */
  public static final class Lines {
    private final Redactor redactor;
    private boolean inPrivateKey;

    private Lines(Redactor redactor) {
      this.redactor = redactor;
    }

    /** The line redacted. */
    public String redact(String line) {
      if (inPrivateKey) {
        Matcher end = PEM_END.matcher(line);
        if (!end.find()) {
          return MASK;
        }
        inPrivateKey = false;
        return MASK + redact(line.substring(end.start()));
      }
      String clean = redactor.redact(line);
      Matcher begin = PEM_BEGIN.matcher(line);
      int from = 0;
      while (begin.find(from)) {
        Matcher end = PEM_END.matcher(line);
        if (!end.find(begin.end())) {
          inPrivateKey = true;
          break;
        }
        from = end.end();
      }
      return clean;
    }
  }
}
