package dev.chatops.chat;

import dev.chatops.intent.Shown;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The text typed after the slash command ({@code /deploy ...}) as a {@link ChatCommand}: {@code
 * <intent> [k=v ...]} (or {@code run <intent> [k=v ...]}, for an intent named like a keyword),
 * {@code plan <intent> [k=v ...]}, {@code status [stack]}, {@code history}, {@code approve <id>},
 * {@code deny <id>}, {@code help} or nothing. Values may be double-quoted ({@code msg="a b"}, with
 * {@code \"} and {@code \\} inside). Anything else, or text out of shape (too long, control
 * characters, names that no intent, parameter or execution can have) is refused with what is wrong:
 * the text comes from anyone in a channel and is checked before anything looks it up.
 */
public final class CommandText {

  /** Characters of command text read at most (Slack's own limit is 4,000 bytes). */
  public static final int MAX_TEXT = 2_000;

  static final int MAX_PARAMS = 32;
  private static final int MAX_SHOWN = 40;

  private static final Pattern INTENT = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
  private static final Pattern PARAM = Pattern.compile("[a-z_][a-z0-9_]{0,31}");
  private static final Pattern STACK = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");

  /**
   * An execution id as the engine makes them (UUIDs) and the command line takes them: the one shape
   * every chat platform checks, typed or carried by a button.
   */
  public static final Pattern EXECUTION_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

  /** What the text says: a command, or why it is not one. */
  public sealed interface Parsed {}

  /** The text is {@code command}. */
  public record Understood(ChatCommand command) implements Parsed {}

  /** The text is no command: {@code problem} says why, in a sentence a user can act on. */
  public record NotUnderstood(String problem) implements Parsed {}

  private CommandText() {}

  /** Reads {@code text}; never throws. */
  public static Parsed parse(String text) {
    if (text.length() > MAX_TEXT) {
      return new NotUnderstood("the command is longer than " + MAX_TEXT + " characters");
    }
    if (text.codePoints().anyMatch(CommandText::forbidden)) {
      return new NotUnderstood("the command must not contain control characters");
    }
    List<Token> tokens;
    try {
      tokens = tokens(text);
    } catch (Wrong wrong) {
      return new NotUnderstood(wrong.getMessage());
    }
    if (tokens.isEmpty()) {
      return new Understood(new ChatCommand.Help());
    }
    try {
      return new Understood(command(tokens));
    } catch (Wrong wrong) {
      return new NotUnderstood(wrong.getMessage());
    }
  }

  private static ChatCommand command(List<Token> tokens) {
    Token first = tokens.getFirst();
    List<Token> rest = tokens.subList(1, tokens.size());
    String keyword = first.quoted() ? "" : asciiLowerCase(first.text());
    return switch (keyword) {
      case "help" -> {
        none(rest, "help");
        yield new ChatCommand.Help();
      }
      case "history" -> {
        none(rest, "history");
        yield new ChatCommand.History();
      }
      case "status" -> {
        if (rest.size() > 1) {
          throw new Wrong("status takes at most one stack name");
        }
        yield new ChatCommand.Status(
            rest.isEmpty()
                ? Optional.empty()
                : Optional.of(name(rest.getFirst(), STACK, "a stack name")));
      }
      case "approve", "deny" -> {
        if (rest.size() != 1) {
          throw new Wrong(keyword + " takes one execution id");
        }
        yield new ChatCommand.Decide(
            name(rest.getFirst(), EXECUTION_ID, "an execution id"), keyword.equals("approve"));
      }
      case "plan" -> {
        if (rest.isEmpty()) {
          throw new Wrong("plan takes an intent name: plan <intent> [name=value ...]");
        }
        yield new ChatCommand.Plan(intent(rest.getFirst()), params(rest.subList(1, rest.size())));
      }
      case "run" -> {
        if (rest.isEmpty()) {
          throw new Wrong("run takes an intent name: run <intent> [name=value ...]");
        }
        yield new ChatCommand.Run(intent(rest.getFirst()), params(rest.subList(1, rest.size())));
      }
      default -> new ChatCommand.Run(intent(first), params(rest));
    };
  }

  /**
   * {@code word} with A to Z lowered and nothing else changed: keywords are ASCII, and no Unicode
   * case mapping can turn another character into one.
   */
  private static String asciiLowerCase(String word) {
    StringBuilder lowered = new StringBuilder(word.length());
    for (int i = 0; i < word.length(); i++) {
      char c = word.charAt(i);
      lowered.append(c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c);
    }
    return lowered.toString();
  }

  private static void none(List<Token> rest, String keyword) {
    if (!rest.isEmpty()) {
      throw new Wrong(keyword + " takes nothing after it");
    }
  }

  private static String intent(Token token) {
    if (token.quoted() || token.name().isPresent()) {
      throw new Wrong(
          "expected an intent name before parameters, not " + shown(token.text()) + " (try: help)");
    }
    return name(token, INTENT, "an intent name");
  }

  private static String name(Token token, Pattern shape, String what) {
    if (token.quoted() || !shape.matcher(token.text()).matches()) {
      throw new Wrong(shown(token.text()) + " is not " + what + describe(shape));
    }
    return token.text();
  }

  private static String describe(Pattern shape) {
    if (shape == INTENT) {
      return " (lowercase letters, digits and dashes)";
    }
    if (shape == STACK) {
      return " (lowercase letters, digits, dashes and underscores)";
    }
    return " (letters, digits and dashes)";
  }

  private static Map<String, String> params(List<Token> tokens) {
    if (tokens.size() > MAX_PARAMS) {
      throw new Wrong("at most " + MAX_PARAMS + " parameters");
    }
    Map<String, String> params = new LinkedHashMap<>();
    for (Token token : tokens) {
      if (token.name().isEmpty()) {
        throw new Wrong("expected name=value, not " + shown(token.text()));
      }
      String name = token.name().get();
      if (!PARAM.matcher(name).matches()) {
        throw new Wrong(
            shown(name)
                + " is not a parameter name (lowercase letters, digits and underscores, not"
                + " starting with a digit)");
      }
      if (params.put(name, token.text()) != null) {
        throw new Wrong("parameter " + name + " is given twice");
      }
    }
    return params;
  }

  /**
   * One word: bare, quoted, or {@code name=value} where the value may be quoted ({@code name} is
   * then set and {@code text} is the value).
   */
  private record Token(Optional<String> name, String text, boolean quoted) {}

  private static List<Token> tokens(String text) {
    List<Token> tokens = new ArrayList<>();
    int i = 0;
    int n = text.length();
    while (i < n) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
        continue;
      }
      StringBuilder word = new StringBuilder();
      Optional<String> name = Optional.empty();
      boolean quoted = false;
      while (i < n && !Character.isWhitespace(text.charAt(i))) {
        char ch = text.charAt(i);
        if (ch == '"') {
          if (quoted || word.length() > 0) {
            throw new Wrong("a quote may only open a whole value: name=\"...\"");
          }
          i = quoted(text, i + 1, word);
          quoted = true;
          if (i < n && !Character.isWhitespace(text.charAt(i))) {
            throw new Wrong("a quoted value must be followed by a space");
          }
        } else if (ch == '=' && name.isEmpty() && !quoted) {
          name = Optional.of(word.toString());
          word.setLength(0);
          i++;
        } else {
          word.append(ch);
          i++;
        }
      }
      tokens.add(new Token(name, word.toString(), quoted));
    }
    return tokens;
  }

  /**
   * Reads a quoted value from {@code start} (after its quote) into {@code into}: the next index.
   */
  private static int quoted(String text, int start, StringBuilder into) {
    int i = start;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '"') {
        return i + 1;
      }
      if (c == '\n' || c == '\r' || c == '\t') {
        throw new Wrong("a quoted value must be on one line, without tabs");
      }
      if (c == '\\' && i + 1 < text.length()) {
        char next = text.charAt(i + 1);
        if (next == '"' || next == '\\') {
          into.append(next);
          i += 2;
          continue;
        }
      }
      into.append(c);
      i++;
    }
    throw new Wrong("a quoted value is not closed");
  }

  /**
   * Control and format characters (bidirectional overrides, zero-width joiners) other than the
   * whitespace a chat client may put between words: they could forge what a reply or the audit
   * shows.
   */
  private static boolean forbidden(int c) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      return false;
    }
    int type = Character.getType(c);
    return type == Character.CONTROL
        || type == Character.FORMAT
        || type == Character.LINE_SEPARATOR
        || type == Character.PARAGRAPH_SEPARATOR;
  }

  private static String shown(String text) {
    return "'" + Shown.cut(text, MAX_SHOWN) + "'";
  }

  /** A problem found while reading; never leaves this class. */
  private static final class Wrong extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Wrong(String message) {
      super(message, null, false, false);
    }
  }
}
