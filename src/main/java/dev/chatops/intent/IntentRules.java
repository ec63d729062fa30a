package dev.chatops.intent;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * What the deployment allows intents to refer to, taken from the configuration.
 *
 * @param stackRoots absolute, normalised folders under which every Compose file must lie
 * @param hosts the host names intents may name
 */
public record IntentRules(List<Path> stackRoots, Set<String> hosts) {

  public IntentRules {
    stackRoots = List.copyOf(stackRoots);
    hosts = Set.copyOf(hosts);
    for (Path root : stackRoots) {
      if (!root.isAbsolute() || !root.normalize().equals(root)) {
        throw new IllegalArgumentException("stack root must be absolute and normalised: " + root);
      }
    }
  }
}
