package dev.chatops.exec.compose;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/** Every service container of one Compose project at one moment. */
public record StackState(List<ContainerState> containers) {

  public StackState {
    containers = List.copyOf(containers);
  }

  public boolean isEmpty() {
    return containers.isEmpty();
  }

  public List<ContainerState> of(String service) {
    return containers.stream().filter(c -> c.service().equals(service)).toList();
  }

  /** The services that have containers, in first-seen order. */
  public Set<String> services() {
    Set<String> services = new LinkedHashSet<>();
    containers.forEach(c -> services.add(c.service()));
    return services;
  }

  /** Running containers per service. */
  public SortedMap<String, Long> running() {
    SortedMap<String, Long> counts = new TreeMap<>();
    for (ContainerState container : containers) {
      counts.merge(container.service(), container.status().equals("running") ? 1L : 0L, Long::sum);
    }
    return counts;
  }

  /**
   * The image each service runs: the image of its running containers (of any container when none
   * runs); when containers disagree, the most common one.
   */
  public Map<String, String> imageIds() {
    Map<String, Map<String, Integer>> votes = new LinkedHashMap<>();
    for (ContainerState container : containers) {
      int weight = container.status().equals("running") ? 1000 : 1;
      votes
          .computeIfAbsent(container.service(), s -> new LinkedHashMap<>())
          .merge(container.imageId(), weight, Integer::sum);
    }
    Map<String, String> images = new LinkedHashMap<>();
    votes.forEach(
        (service, counts) ->
            images.put(
                service,
                counts.entrySet().stream()
                    .max(Map.Entry.comparingByValue())
                    .orElseThrow()
                    .getKey()));
    return images;
  }

  /** The containers of {@code services} (all when empty). */
  public List<ContainerState> select(List<String> services) {
    if (services.isEmpty()) {
      return containers;
    }
    List<ContainerState> out = new ArrayList<>();
    for (ContainerState container : containers) {
      if (services.contains(container.service())) {
        out.add(container);
      }
    }
    return out;
  }
}
