package dev.chatops.deploy.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs commands (docker, the project's scripts) with a bound on time, output kept for messages. */
final class Docker {

  /** What a finished command printed (stdout and stderr together) and how it exited. */
  record Ran(List<String> command, int exit, String output) {
    boolean ok() {
      return exit == 0;
    }

    /** The output, or an error naming the command and showing its output. */
    String orFail() {
      if (!ok()) {
        throw new AssertionError(
            String.join(" ", command) + " exited " + exit + ":\n" + tail(output, 4000));
      }
      return output.strip();
    }
  }

  private Docker() {}

  static Ran docker(Duration limit, String... args) {
    List<String> command = new ArrayList<>(List.of("docker"));
    command.addAll(List.of(args));
    return run(null, limit, command);
  }

  static Ran run(Path directory, Duration limit, List<String> command) {
    return run(directory, limit, command, Map.of());
  }

  static Ran run(Path directory, Duration limit, List<String> command, Map<String, String> env) {
    Path log = null;
    try {
      log = Files.createTempFile("chatops-image-it", ".log");
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
      builder.redirectOutput(log.toFile());
      // The legacy builder: the daemon here has no buildx plugin for BuildKit.
      builder.environment().put("DOCKER_BUILDKIT", "0");
      builder.environment().putAll(env);
      if (directory != null) {
        builder.directory(directory.toFile());
      }
      Process process;
      try {
        process = builder.start();
      } catch (IOException e) {
        throw new AssertionError(
            command.get(0) + " cannot be started (scripts/test-env.sh installs it): " + e, e);
      }
      if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        throw new AssertionError(
            String.join(" ", command)
                + " did not end within "
                + limit
                + ":\n"
                + tail(Files.readString(log, StandardCharsets.UTF_8), 4000));
      }
      return new Ran(command, process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new AssertionError("running " + command + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while running " + command, e);
    } finally {
      if (log != null) {
        try {
          Files.deleteIfExists(log);
        } catch (IOException e) {
          // a temporary file left behind costs nothing worth failing a test for
        }
      }
    }
  }

  static String tail(String text, int max) {
    return text.length() <= max ? text : "..." + text.substring(text.length() - max);
  }
}
