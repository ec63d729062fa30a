package dev.chatops.notify;

import dev.chatops.config.Secret;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Text shaping shared by the ntfy, Gotify and generic webhook formats: cleaning what a notice
 * carries (its texts come from audit records, so from requests and process output an attacker may
 * shape), cutting it to a service's limits without breaking a character, and reading answers.
 */
final class HookTexts {

  /** Put where a text was cut. */
  static final String ELLIPSIS = "…";

  private HookTexts() {}

  /**
   * {@code text} on one line: every control, line or paragraph separator and direction override
   * becomes a space, so that a title can never start a new header line or a new message line, nor
   * reorder what is shown. Lone surrogates become U+FFFD (they cannot be encoded as UTF-8).
   */
  static String oneLine(String text) {
    StringBuilder out = new StringBuilder(text.length());
    text.codePoints()
        .forEach(
            c -> {
              if (isLoneSurrogate(c)) {
                out.append('\uFFFD');
              } else if (Character.isISOControl(c) || isSeparatorOrOverride(c)) {
                out.append(' ');
              } else {
                out.appendCodePoint(c);
              }
            });
    return out.toString().strip();
  }

  /**
   * {@code text} with its lines kept: CR LF and lone CR become LF, tabs stay, every other control
   * character and direction override is dropped, lone surrogates become U+FFFD.
   */
  static String multiLine(String text) {
    String lines = text.replace("\r\n", "\n").replace('\r', '\n');
    StringBuilder out = new StringBuilder(lines.length());
    lines
        .codePoints()
        .forEach(
            c -> {
              if (isLoneSurrogate(c)) {
                out.append('\uFFFD');
              } else if (c == '\n' || c == '\t') {
                out.append((char) c);
              } else if (c == 0x2028 || c == 0x2029) {
                out.append('\n');
              } else if (!Character.isISOControl(c) && !isSeparatorOrOverride(c)) {
                out.appendCodePoint(c);
              }
            });
    return out.toString();
  }

  /**
   * {@code text} in at most {@code max} code points, the last being {@link #ELLIPSIS} when it was
   * cut: a surrogate pair (an emoji) is kept whole or left out whole.
   */
  static String cutCodePoints(String text, int max) {
    if (text.codePointCount(0, text.length()) <= max) {
      return text;
    }
    return text.substring(0, text.offsetByCodePoints(0, max - 1)) + ELLIPSIS;
  }

  /**
   * {@code text} in at most {@code maxBytes} bytes of UTF-8, ending in {@link #ELLIPSIS} when it
   * was cut, which happens between code points only.
   */
  static String cutUtf8(String text, int maxBytes) {
    if (utf8Length(text) <= maxBytes) {
      return text;
    }
    int budget = maxBytes - utf8Length(ELLIPSIS);
    int end = 0;
    int used = 0;
    while (end < text.length()) {
      int c = text.codePointAt(end);
      int size = utf8Length(c);
      if (used + size > budget) {
        break;
      }
      used += size;
      end += Character.charCount(c);
    }
    return text.substring(0, end) + ELLIPSIS;
  }

  static int utf8Length(String text) {
    return text.getBytes(StandardCharsets.UTF_8).length;
  }

  /**
   * The notice as plain text: its text, then one {@code name: value} line per field, then its code
   * output, each part cleaned; the parts the notice lacks are left out.
   */
  static String plainBody(Notice notice) {
    StringBuilder out = new StringBuilder(multiLine(notice.text()).strip());
    if (!notice.fields().isEmpty()) {
      out.append(out.isEmpty() ? "" : "\n\n");
      List<String> lines = new ArrayList<>();
      for (Notice.Field field : notice.fields()) {
        lines.add(oneLine(field.name()) + ": " + oneLine(field.value()));
      }
      out.append(String.join("\n", lines));
    }
    notice
        .code()
        .map(HookTexts::multiLine)
        .map(String::strip)
        .filter(code -> !code.isEmpty())
        .ifPresent(code -> out.append(out.isEmpty() ? "" : "\n\n").append(code));
    return out.toString().strip();
  }

  /**
   * A service's own words for an answer, fit for {@link Answer} texts: one line, at most {@code
   * max} code points, and any of {@code secrets} (a service may echo what it was sent) masked.
   */
  static String servicesWords(String text, int max, List<Secret> secrets) {
    String words = text;
    for (Secret secret : secrets) {
      words = words.replace(secret.reveal(), "***");
    }
    return cutCodePoints(oneLine(words).replaceAll(" {2,}", " "), max);
  }

  private static boolean isLoneSurrogate(int c) {
    return c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE;
  }

  /** Line and paragraph separators, bidirectional embeddings, overrides and isolates. */
  private static boolean isSeparatorOrOverride(int c) {
    return c == 0x2028
        || c == 0x2029
        || (c >= 0x202A && c <= 0x202E)
        || (c >= 0x2066 && c <= 0x2069)
        || c == 0x200E
        || c == 0x200F
        || c == 0x061C;
  }

  private static int utf8Length(int c) {
    return c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
  }
}
