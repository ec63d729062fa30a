package dev.chatops.intent;

/**
 * A field that holds either a literal written in the intent or a whole-value reference to one of
 * its parameters ({@code "{{ replicas }}"}). References are never spliced into longer strings.
 *
 * @param <T> the type of the field's value
 */
public sealed interface Value<T> permits Value.Literal, Value.Ref {

  /** A value written in the intent itself. */
  record Literal<T>(T value) implements Value<T> {
    @Override
    public String toString() {
      return String.valueOf(value);
    }
  }

  /** A reference to the parameter {@code param}, resolved when the intent is triggered. */
  record Ref<T>(String param) implements Value<T> {
    @Override
    public String toString() {
      return "{{ " + param + " }}";
    }
  }

  static <T> Value<T> of(T value) {
    return new Literal<>(value);
  }
}
