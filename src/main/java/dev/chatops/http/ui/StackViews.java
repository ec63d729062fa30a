package dev.chatops.http.ui;

import dev.chatops.exec.compose.ContainerState;
import dev.chatops.exec.compose.StackState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** What the stacks page shows (public: the compiled templates read them). */
public final class StackViews {

  private StackViews() {}

  /**
   * One service of a project.
   *
   * @param running its containers that run
   * @param desired its containers, running or not: the count Compose keeps for it
   * @param health "healthy" (or "running" without a health check), or the conditions of its
   *     containers that are not ready
   * @param tone the status colour: {@code succeeded} when every container runs (healthy where it
   *     has a check), {@code running} while some only start, else {@code failed}
   * @param images the images its containers run, as referenced
   */
  public record Service(
      String name, long running, int desired, String health, String tone, List<String> images) {
    public Service {
      images = List.copyOf(images);
    }
  }

  /**
   * One Compose project on one host.
   *
   * @param intents the intents that act on it
   * @param error why it could not be read; then {@code services} is empty
   */
  public record Stack(
      String project, List<String> intents, List<Service> services, Optional<String> error) {
    public Stack {
      intents = List.copyOf(intents);
      services = List.copyOf(services);
    }

    static Stack of(String project, List<String> intents, StackState state) {
      List<Service> services = new ArrayList<>();
      for (String service : state.services()) {
        List<ContainerState> containers = state.of(service);
        Set<String> images = new LinkedHashSet<>();
        List<String> unready = new ArrayList<>();
        long running = 0;
        for (ContainerState container : containers) {
          images.add(container.imageRef());
          if (container.status().equals("running")) {
            running++;
          }
          if (!container.ready()) {
            unready.add(container.condition());
          }
        }
        boolean checked = containers.stream().anyMatch(c -> c.health().isPresent());
        String health =
            unready.isEmpty()
                ? (checked ? "healthy" : "running")
                : String.join(", ", new LinkedHashSet<>(unready));
        services.add(
            new Service(
                service,
                running,
                containers.size(),
                health,
                unready.isEmpty()
                    ? "succeeded"
                    : List.of("starting", "created").containsAll(unready) ? "running" : "failed",
                List.copyOf(images)));
      }
      return new Stack(project, intents, services, Optional.empty());
    }
  }

  /**
   * One configured host.
   *
   * @param error why its engine could not be read, when no stack of it could
   */
  public record Host(String name, List<Stack> stacks, Optional<String> error) {
    public Host {
      stacks = List.copyOf(stacks);
    }
  }

  /**
   * The stacks page.
   *
   * @param readAt when the engines were read (the page may show a read a few seconds old)
   */
  public record Page(Chrome chrome, List<Host> hosts, Instant readAt, long cacheSeconds) {
    public Page {
      hosts = List.copyOf(hosts);
    }
  }
}
