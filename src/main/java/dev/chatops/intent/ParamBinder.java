package dev.chatops.intent;

import dev.chatops.intent.Param.BooleanParam;
import dev.chatops.intent.Param.IntegerParam;
import dev.chatops.intent.Param.StringParam;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Checks the parameter values a trigger gives against an intent's declarations. Values arrive as
 * text (from the command line, or JSON scalars rendered as text) and never reach a shell; a string
 * that could be read as an option ({@code -x}, {@code --force}) is refused outright.
 */
public final class ParamBinder {

  /** What binding gave: the values, or every reason they were refused. */
  public sealed interface Result permits Bound, Invalid {}

  /** All values are acceptable. */
  public record Bound(Bindings bindings) implements Result {}

  /** At least one value was refused. */
  public record Invalid(List<ParamError> errors) implements Result {
    public Invalid {
      errors = List.copyOf(errors);
    }
  }

  /** One refused parameter. The message quotes no more of the value than is safe to show. */
  public record ParamError(String param, String message) {
    @Override
    public String toString() {
      return param + ": " + message;
    }
  }

  /** Longest raw value accepted before any further check (patterns run on bounded input). */
  static final int MAX_RAW_LENGTH = 1024;

  /** Unknown names listed one by one at most; the rest are counted. */
  static final int MAX_NAMES_LISTED = 5;

  /** A parameter name, as the intent schema's {@code params} allows it. */
  private static final Pattern NAME = Pattern.compile("^[a-z_][a-z0-9_]{0,31}$");

  private static final Pattern INTEGER = Pattern.compile("^[+-]?[0-9]{1,18}$");
  private static final Pattern CONTROL = Pattern.compile("[\\p{Cntrl}\\u2028\\u2029]");

  private ParamBinder() {}

  /** Binds {@code given} (name to raw text) to the parameters of {@code intent}. */
  public static Result bind(Intent intent, Map<String, String> given) {
    List<ParamError> errors = new ArrayList<>();
    Map<String, Object> values = new LinkedHashMap<>();
    unknownNames(intent, given.keySet(), errors);
    for (Param param : intent.params().values()) {
      String raw = given.get(param.name());
      if (raw == null) {
        Optional<Object> fallback = defaultOf(param);
        if (fallback.isPresent()) {
          values.put(param.name(), fallback.get());
        } else {
          errors.add(new ParamError(param.name(), "is required (it has no default)"));
        }
        continue;
      }
      switch (convert(param, raw)) {
        case Converted ok -> values.put(param.name(), ok.value());
        case Rejected no -> errors.add(new ParamError(param.name(), no.message()));
      }
    }
    return errors.isEmpty() ? new Bound(new Bindings(values)) : new Invalid(errors);
  }

  /**
   * One error for each given name the intent does not declare, up to {@link #MAX_NAMES_LISTED} of
   * them, then one that counts the rest: the names come from the caller, so what is echoed of them
   * is bounded like values are. A name that is not shaped like a parameter name (the schema's
   * {@code ^[a-z_][a-z0-9_]{0,31}$}) is shown cut and masked.
   */
  private static void unknownNames(Intent intent, Set<String> given, List<ParamError> errors) {
    List<String> unknown =
        new TreeSet<>(given).stream().filter(name -> !intent.params().containsKey(name)).toList();
    for (String name : unknown.subList(0, Math.min(unknown.size(), MAX_NAMES_LISTED))) {
      if (!NAME.matcher(name).matches()) {
        errors.add(
            new ParamError(
                shown(name),
                "is not a parameter name (1 to 32 lowercase letters, digits or underscores, not"
                    + " starting with a digit)"));
      } else {
        errors.add(
            new ParamError(
                name,
                intent.params().isEmpty()
                    ? "unknown parameter: intent " + intent.name() + " takes none"
                    : "unknown parameter; intent "
                        + intent.name()
                        + " takes "
                        + String.join(", ", intent.params().keySet())));
      }
    }
    if (unknown.size() > MAX_NAMES_LISTED) {
      errors.add(
          new ParamError(
              "params",
              "and " + (unknown.size() - MAX_NAMES_LISTED) + " more unknown parameter name(s)"));
    }
  }

  private sealed interface Conversion permits Converted, Rejected {}

  private record Converted(Object value) implements Conversion {}

  private record Rejected(String message) implements Conversion {}

  private static Conversion convert(Param param, String raw) {
    if (raw.length() > MAX_RAW_LENGTH) {
      return new Rejected("value is longer than " + MAX_RAW_LENGTH + " characters");
    }
    return switch (param) {
      case IntegerParam integer -> {
        if (!INTEGER.matcher(raw).matches()) {
          yield new Rejected("must be an integer (got " + shown(raw) + ")");
        }
        long value = Long.parseLong(raw);
        if (value < integer.minimum() || value > integer.maximum()) {
          yield new Rejected(
              "must be between "
                  + integer.minimum()
                  + " and "
                  + integer.maximum()
                  + " (got "
                  + value
                  + ")");
        }
        yield new Converted(value);
      }
      case StringParam string ->
          checkString(string, raw, true)
              .<Conversion>map(Rejected::new)
              .orElseGet(() -> new Converted(raw));
      case BooleanParam ignored ->
          switch (raw) {
            case "true" -> new Converted(true);
            case "false" -> new Converted(false);
            default -> new Rejected("must be true or false (got " + shown(raw) + ")");
          };
    };
  }

  /**
   * Why {@code value} is not acceptable for {@code param}, or empty. With {@code checkEnum}, the
   * value must also be one of the parameter's allowed values.
   */
  static Optional<String> checkString(StringParam param, String value, boolean checkEnum) {
    if (value.isEmpty()) {
      return Optional.of("must not be empty");
    }
    if (value.length() > param.maxLength()) {
      return Optional.of("must be at most " + param.maxLength() + " characters long");
    }
    if (value.startsWith("-")) {
      return Optional.of(
          "must not start with '-' (it could be read as a command-line option): " + shown(value));
    }
    if (CONTROL.matcher(value).find()) {
      return Optional.of("must not contain control characters or line breaks");
    }
    if (param.pattern().isPresent() && !param.pattern().get().matcher(value).matches()) {
      return Optional.of(
          shown(value) + " does not match the pattern " + param.pattern().get().pattern());
    }
    if (checkEnum && !param.allowed().isEmpty() && !param.allowed().contains(value)) {
      return Optional.of(
          "must be one of " + String.join(", ", param.allowed()) + " (got " + shown(value) + ")");
    }
    return Optional.empty();
  }

  private static Optional<Object> defaultOf(Param param) {
    return switch (param) {
      case IntegerParam integer -> integer.defaultValue().map(Object.class::cast);
      case StringParam string -> string.defaultValue().map(Object.class::cast);
      case BooleanParam bool -> bool.defaultValue().map(Object.class::cast);
    };
  }

  /** A value as messages show it: quoted, control characters masked, long values cut. */
  static String shown(String value) {
    return "'" + Shown.cut(value, 40) + "'";
  }
}
