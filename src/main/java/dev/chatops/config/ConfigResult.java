package dev.chatops.config;

import dev.chatops.yaml.Problem;
import java.util.List;
import java.util.Objects;

/** What loading the configuration gave: a usable configuration, or every problem found. */
public sealed interface ConfigResult permits ConfigResult.Loaded, ConfigResult.Invalid {

  /** A configuration that passed every check. */
  record Loaded(ChatOpsConfig config) implements ConfigResult {
    public Loaded {
      Objects.requireNonNull(config, "config");
    }
  }

  /** Everything wrong, sorted by source and position; never empty. No message holds a secret. */
  record Invalid(List<Problem> problems) implements ConfigResult {
    public Invalid {
      problems = List.copyOf(problems);
      if (problems.isEmpty()) {
        throw new IllegalArgumentException("an invalid configuration has problems");
      }
    }
  }
}
