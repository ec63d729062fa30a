package dev.chatops.exec.compose;

import java.util.Set;

/** The networks and volumes on an engine at one moment, by name. */
public record EngineResources(Set<String> networks, Set<String> volumes) {

  public EngineResources {
    networks = Set.copyOf(networks);
    volumes = Set.copyOf(volumes);
  }

  /** Whether the engine has {@code resource}. */
  public boolean has(RecordedDefinition.Resource resource) {
    return switch (resource.kind()) {
      case NETWORK -> networks.contains(resource.name());
      case VOLUME -> volumes.contains(resource.name());
    };
  }
}
