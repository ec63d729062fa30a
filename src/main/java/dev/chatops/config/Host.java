package dev.chatops.config;

import java.net.URI;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A Docker engine that intents can target ({@code hosts.NAME}).
 *
 * @param name the key under {@code hosts}: {@code ^[a-z0-9][a-z0-9-]{0,62}$}
 * @param transport how the engine is reached, from the URL's scheme
 * @param docker the engine's address, usable as {@code DOCKER_HOST}: {@code unix:///path}, {@code
 *     ssh://[user@]host[:port]} or {@code tcp://host:port}; it never holds a password
 */
public record Host(String name, Transport transport, URI docker) {

  /** The name of the host that is always configured. */
  public static final String LOCAL = "local";

  static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

  /** The schemes Docker accepts for {@code DOCKER_HOST}. */
  public enum Transport {
    UNIX,
    SSH,
    TCP
  }

  public Host {
    Objects.requireNonNull(transport, "transport");
    Objects.requireNonNull(docker, "docker");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("bad host name: " + name);
    }
  }

  /** {@code local} on the default Docker socket. */
  public static Host local() {
    return new Host(LOCAL, Transport.UNIX, URI.create("unix:///var/run/docker.sock"));
  }
}
