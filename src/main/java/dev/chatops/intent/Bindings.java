package dev.chatops.intent;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parameter values checked against their declarations: every declared parameter has a value of its
 * type (given or default), within its bounds.
 */
public final class Bindings {

  private final Map<String, Object> values;

  Bindings(Map<String, Object> values) {
    this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }

  /**
   * The values by parameter name, in declaration order: {@code Long}, {@code String}, {@code
   * Boolean}.
   */
  public Map<String, Object> values() {
    return values;
  }

  /** The value of a field: the literal, or the bound parameter's value. */
  public <T> T resolve(Value<T> value, Class<T> type) {
    return switch (value) {
      case Value.Literal<T> literal -> literal.value();
      case Value.Ref<T> ref -> {
        Object bound = values.get(ref.param());
        if (!type.isInstance(bound)) {
          throw new IllegalStateException(
              "parameter " + ref.param() + " is not bound to a " + type.getSimpleName());
        }
        yield type.cast(bound);
      }
    };
  }

  @Override
  public String toString() {
    return values.toString();
  }
}
