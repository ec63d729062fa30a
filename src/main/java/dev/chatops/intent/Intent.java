package dev.chatops.intent;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One validated intent: a reviewed description of something that may happen to a stack.
 *
 * @param host a key of the configuration's hosts (unused by batches)
 * @param params declared parameters, in file order
 */
public record Intent(
    String name,
    Optional<String> description,
    String host,
    Action action,
    Map<String, Param> params,
    Requirements require,
    Optional<String> notes,
    Origin origin) {

  /** The host an intent runs on when it does not name one. */
  public static final String DEFAULT_HOST = "local";

  public Intent {
    params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
  }

  /** What a trigger must carry for the intent to run. */
  public record Requirements(List<String> labels, int approvals) {
    public static final Requirements NONE = new Requirements(List.of(), 0);

    public Requirements {
      labels = List.copyOf(labels);
    }
  }
}
