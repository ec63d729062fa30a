package dev.chatops.http.ui;

import dev.chatops.intent.Param;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One input of an intent's run form, typed from its {@link Param}: an integer is a number field
 * with its bounds, an enum or a boolean a select, a string a text field with its pattern and
 * length. The browser's checks only help: the engine binds every value again.
 *
 * @param name the parameter's name; the form field is {@link #field()}
 * @param kind {@code number}, {@code select} or {@code text}
 * @param value what the field holds: what was typed, else the default, else nothing
 * @param options a select's choices, the empty one first when nothing is chosen by default
 * @param hint the type and bounds in words, shown beside the field
 */
public record ParamField(
    String name,
    String kind,
    String value,
    Optional<String> description,
    boolean required,
    Optional<Long> min,
    Optional<Long> max,
    Optional<String> pattern,
    Optional<Integer> maxLength,
    List<String> options,
    String hint) {

  /** The form fields of parameters are named {@code param.NAME}. */
  public static final String PREFIX = "param.";

  public ParamField {
    options = List.copyOf(options);
  }

  /** The form field's name. */
  public String field() {
    return PREFIX + name;
  }

  /** The element's id, for its label. */
  public String id() {
    return "param-" + name;
  }

  /** The fields of {@code params}, holding {@code typed} where the user typed a value. */
  public static List<ParamField> of(Iterable<Param> params, Map<String, String> typed) {
    List<ParamField> fields = new ArrayList<>();
    for (Param param : params) {
      fields.add(of(param, Optional.ofNullable(typed.get(param.name()))));
    }
    return List.copyOf(fields);
  }

  static ParamField of(Param param, Optional<String> typed) {
    return switch (param) {
      case Param.IntegerParam integer ->
          new ParamField(
              integer.name(),
              "number",
              typed.orElse(integer.defaultValue().map(String::valueOf).orElse("")),
              integer.description(),
              integer.required(),
              Optional.of(integer.minimum()),
              Optional.of(integer.maximum()),
              Optional.empty(),
              Optional.empty(),
              List.of(),
              "integer from " + integer.minimum() + " to " + integer.maximum());
      case Param.StringParam string when !string.allowed().isEmpty() ->
          new ParamField(
              string.name(),
              "select",
              typed.orElse(string.defaultValue().orElse("")),
              string.description(),
              string.required(),
              Optional.empty(),
              Optional.empty(),
              Optional.empty(),
              Optional.empty(),
              choices(string.allowed(), string.defaultValue().isEmpty()),
              "one of " + String.join(", ", string.allowed()));
      case Param.StringParam string ->
          new ParamField(
              string.name(),
              "text",
              typed.orElse(string.defaultValue().orElse("")),
              string.description(),
              string.required(),
              Optional.empty(),
              Optional.empty(),
              string.pattern().map(java.util.regex.Pattern::pattern),
              Optional.of(string.maxLength()),
              List.of(),
              "text of at most "
                  + string.maxLength()
                  + " characters"
                  + string.pattern().map(p -> ", matching " + p.pattern()).orElse(""));
      case Param.BooleanParam bool ->
          new ParamField(
              bool.name(),
              "select",
              typed.orElse(bool.defaultValue().map(String::valueOf).orElse("")),
              bool.description(),
              bool.required(),
              Optional.empty(),
              Optional.empty(),
              Optional.empty(),
              Optional.empty(),
              choices(List.of("true", "false"), bool.defaultValue().isEmpty()),
              "true or false");
    };
  }

  /** A select's options: with an empty first choice when there is no default to select. */
  private static List<String> choices(List<String> values, boolean noDefault) {
    List<String> choices = new ArrayList<>();
    if (noDefault) {
      choices.add("");
    }
    choices.addAll(values);
    return choices;
  }
}
