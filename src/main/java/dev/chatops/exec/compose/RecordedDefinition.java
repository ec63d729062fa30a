package dev.chatops.exec.compose;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * What a recorded definition ({@code config} output of either Compose flavour) needs from the
 * engine beyond images: the networks and volumes its services attach, by the name the engine knows
 * them under. A rollback checks them before it brings the definition back, because Compose would
 * recreate a missing named volume empty, and cannot attach an external network that is gone.
 */
public final class RecordedDefinition {

  private static final YAMLMapper YAML = new YAMLMapper();

  /** A network or volume a service attaches. */
  public record Resource(Kind kind, String key, String name, boolean external) {

    /** Network or volume. */
    public enum Kind {
      NETWORK,
      VOLUME
    }
  }

  private final JsonNode root;
  private final String project;

  private RecordedDefinition(JsonNode root, String project) {
    this.root = root;
    this.project = project;
  }

  /** Reads {@code yaml}, the definition of Compose project {@code project}. */
  public static RecordedDefinition parse(String yaml, String project) {
    try {
      JsonNode root = YAML.readTree(yaml);
      if (root == null || !root.path("services").isObject()) {
        throw new EngineException("the recorded definition has no services");
      }
      return new RecordedDefinition(root, project);
    } catch (JacksonException e) {
      throw new EngineException("the recorded definition cannot be read");
    }
  }

  /** The services it defines. */
  public Set<String> services() {
    return new LinkedHashSet<>(root.path("services").propertyNames());
  }

  /**
   * The declared networks and volumes that {@code services} attach (bind mounts and the implicit
   * default network are not resources to check).
   */
  public List<Resource> resources(Set<String> services) {
    Set<String> networks = new LinkedHashSet<>();
    Set<String> volumes = new LinkedHashSet<>();
    for (String service : services) {
      JsonNode definition = root.path("services").path(service);
      JsonNode attached = definition.path("networks");
      if (attached.isObject()) {
        networks.addAll(attached.propertyNames());
      } else if (attached.isArray()) {
        attached.forEach(n -> networks.add(n.asString()));
      }
      for (JsonNode mount : definition.path("volumes")) {
        volumeSource(mount).ifPresent(volumes::add);
      }
    }
    List<Resource> out = new ArrayList<>();
    networks.forEach(key -> declared(Resource.Kind.NETWORK, "networks", key).ifPresent(out::add));
    volumes.forEach(key -> declared(Resource.Kind.VOLUME, "volumes", key).ifPresent(out::add));
    return out;
  }

  /** A named volume's key in a service's mount (v1 writes strings, v2 maps); none for binds. */
  private static Optional<String> volumeSource(JsonNode mount) {
    if (mount.isString()) {
      String[] parts = mount.asString().split(":", -1);
      String source = parts[0];
      boolean named =
          parts.length > 1
              && !source.isEmpty()
              && !source.startsWith("/")
              && !source.startsWith(".")
              && !source.startsWith("~");
      return named ? Optional.of(source) : Optional.empty();
    }
    if (mount.path("type").asString("").equals("volume") && mount.path("source").isString()) {
      return Optional.of(mount.path("source").asString());
    }
    return Optional.empty();
  }

  /**
   * The top-level declaration of {@code key}: its engine name is {@code name} when written (v2
   * always writes it), else the key for an external one and {@code PROJECT_KEY} for the others.
   */
  private Optional<Resource> declared(Resource.Kind kind, String section, String key) {
    JsonNode declaration = root.path(section).path(key);
    if (declaration.isMissingNode()) {
      return Optional.empty();
    }
    JsonNode external = declaration.path("external");
    boolean isExternal = external.asBoolean(false) || (external.isObject() && !external.isEmpty());
    String name =
        declaration.path("name").isString()
            ? declaration.path("name").asString()
            : external.path("name").isString()
                ? external.path("name").asString()
                : isExternal ? key : project + "_" + key;
    return Optional.of(new Resource(kind, key, name, isExternal));
  }
}
