package dev.chatops.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.chatops.yaml.Problem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Writes real files in a temporary folder and loads them, as the command line would. */
final class ConfigFixture {

  static final String FILE = "chatops.yaml";

  private final Path dir;
  private final Map<String, String> environment = new HashMap<>();

  ConfigFixture(Path dir) {
    this.dir = dir;
  }

  Path dir() {
    return dir;
  }

  Map<String, String> environment() {
    return Map.copyOf(environment);
  }

  ConfigFixture env(String name, String value) {
    environment.put(name, value);
    return this;
  }

  /** Writes {@code text} to {@code name} under the folder and returns its absolute path. */
  Path write(String name, String text) {
    try {
      Path file = dir.resolve(name);
      Files.createDirectories(file.getParent());
      Files.writeString(file, text, StandardCharsets.UTF_8);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  ConfigResult load(String yaml) {
    write(FILE, yaml);
    return loadFile(Optional.of(Path.of(FILE)));
  }

  ConfigResult loadWithoutFile() {
    return loadFile(Optional.empty());
  }

  ConfigResult loadFile(Optional<Path> file) {
    try {
      return new ConfigLoader(environment, dir).load(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  ChatOpsConfig config(String yaml) {
    return loaded(load(yaml));
  }

  List<String> problems(String yaml) {
    return formatted(load(yaml));
  }

  static ChatOpsConfig loaded(ConfigResult result) {
    return switch (result) {
      case ConfigResult.Loaded loaded -> loaded.config();
      case ConfigResult.Invalid invalid ->
          fail("expected a valid configuration, got:\n" + String.join("\n", format(invalid)));
    };
  }

  static List<String> formatted(ConfigResult result) {
    return switch (result) {
      case ConfigResult.Loaded loaded -> fail("expected problems, got a valid configuration");
      case ConfigResult.Invalid invalid -> {
        assertThat(invalid.problems()).isNotEmpty();
        yield format(invalid);
      }
    };
  }

  private static List<String> format(ConfigResult.Invalid invalid) {
    return invalid.problems().stream().map(Problem::format).toList();
  }
}
