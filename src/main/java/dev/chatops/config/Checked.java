package dev.chatops.config;

/** The outcome of parsing one value: the value, or the reason it is not one (never a secret). */
sealed interface Checked<T> {

  /** A value that passed every check. */
  record Valid<T>(T value) implements Checked<T> {}

  /** Why the text is not a value; safe to show to an operator. */
  record Invalid<T>(String message) implements Checked<T> {}

  static <T> Checked<T> valid(T value) {
    return new Valid<>(value);
  }

  static <T> Checked<T> invalid(String message) {
    return new Invalid<>(message);
  }

  /** The value, or an {@link IllegalArgumentException} with the reason, for programmatic use. */
  default T orThrow() {
    return switch (this) {
      case Valid<T> valid -> valid.value();
      case Invalid<T> invalid -> throw new IllegalArgumentException(invalid.message());
    };
  }
}
