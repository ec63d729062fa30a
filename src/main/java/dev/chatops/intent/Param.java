package dev.chatops.intent;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** A typed, bounded parameter an intent declares and a trigger may set. */
public sealed interface Param permits Param.IntegerParam, Param.StringParam, Param.BooleanParam {

  String name();

  Optional<String> description();

  /** The parameter's type as written in intents. */
  String typeName();

  /** Whether a trigger must give a value (there is no default). */
  boolean required();

  /** An integer within {@code [minimum, maximum]}. */
  record IntegerParam(
      String name,
      Optional<String> description,
      long minimum,
      long maximum,
      Optional<Long> defaultValue)
      implements Param {
    @Override
    public String typeName() {
      return "integer";
    }

    @Override
    public boolean required() {
      return defaultValue.isEmpty();
    }
  }

  /**
   * A string of at most {@code maxLength} characters, matching {@code pattern} as a whole and, when
   * {@code allowed} is not empty, one of those values.
   */
  record StringParam(
      String name,
      Optional<String> description,
      Optional<Pattern> pattern,
      List<String> allowed,
      int maxLength,
      Optional<String> defaultValue)
      implements Param {

    /** Longest string value when an intent does not say. */
    public static final int DEFAULT_MAX_LENGTH = 128;

    public StringParam {
      allowed = List.copyOf(allowed);
    }

    @Override
    public String typeName() {
      return "string";
    }

    @Override
    public boolean required() {
      return defaultValue.isEmpty();
    }
  }

  /** {@code true} or {@code false}. */
  record BooleanParam(String name, Optional<String> description, Optional<Boolean> defaultValue)
      implements Param {
    @Override
    public String typeName() {
      return "boolean";
    }

    @Override
    public boolean required() {
      return defaultValue.isEmpty();
    }
  }
}
