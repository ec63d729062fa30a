package dev.chatops.config;

import dev.chatops.yaml.Problem;
import java.net.URI;
import java.net.URISyntaxException;
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

  private static final String DOCKER_URL_FORMS =
      "expected unix:///PATH, ssh://[USER@]HOST[:PORT] or tcp://HOST:PORT";

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

  /** Reads {@code hosts.NAME.docker}. */
  static ConfigReader.Parser<Host> parser(String name) {
    return (text, at) -> parse(name, text);
  }

  /** The host {@code name} at the Docker address {@code text}. */
  static Host parse(String name, String text) {
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw refuse("is not a valid URL; " + DOCKER_URL_FORMS);
    }
    String scheme = uri.getScheme();
    if (scheme == null || uri.getRawSchemeSpecificPart() == null) {
      throw refuse("is not a URL; " + DOCKER_URL_FORMS);
    }
    if (!uri.getRawSchemeSpecificPart().startsWith("//")
        || uri.getRawQuery() != null
        || uri.getRawFragment() != null) {
      throw refuse("is not a Docker address; " + DOCKER_URL_FORMS);
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    return switch (scheme) {
      case "unix" -> {
        if (uri.getRawAuthority() != null || !path.startsWith("/") || path.length() == 1) {
          throw refuse(
              "a unix URL needs an absolute socket path, such as unix:///var/run/docker.sock");
        }
        yield new Host(name, Transport.UNIX, uri);
      }
      case "ssh" -> {
        if (uri.getHost() == null || !path.isEmpty()) {
          throw refuse("an ssh URL needs a host and nothing after it: ssh://USER@HOST");
        }
        if (uri.getPort() == 0 || uri.getPort() > 65535) {
          throw refuse("the port must be from 1 to 65535");
        }
        if (uri.getRawUserInfo() != null && uri.getRawUserInfo().contains(":")) {
          throw refuse("must not hold a password; use SSH keys");
        }
        yield new Host(name, Transport.SSH, uri);
      }
      case "tcp" -> {
        if (uri.getHost() == null
            || uri.getPort() <= 0
            || uri.getPort() > 65535
            || !path.isEmpty()
            || uri.getUserInfo() != null) {
          throw refuse("a tcp URL needs a host and a port from 1 to 65535: tcp://HOST:PORT");
        }
        yield new Host(name, Transport.TCP, uri);
      }
      default ->
          throw refuse("unsupported scheme " + Problem.quote(scheme) + "; " + DOCKER_URL_FORMS);
    };
  }

  private static IllegalArgumentException refuse(String message) {
    return new IllegalArgumentException(message);
  }
}
