package dev.chatops.deploy.host;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a tool of the host with a deadline, its output (both streams) captured in a file. */
final class Commands {

  /** What a finished command left: its exit status, output and how long it took. */
  record Ran(int status, String out, Duration took) {}

  private Commands() {}

  /**
   * Runs {@code command} in {@code dir} with {@code env} added to this process's environment,
   * killed (with its children) after {@code deadline}, which fails the test.
   */
  static Ran run(Path dir, Map<String, String> env, Duration deadline, List<String> command)
      throws IOException, InterruptedException {
    Path log = Files.createTempFile("command", ".log");
    try {
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      builder.environment().putAll(env);
      long start = System.nanoTime();
      Process process;
      try {
        process = builder.start();
      } catch (IOException e) {
        throw new AssertionError(
            command.getFirst() + " is not installed: scripts/test-env.sh installs it", e);
      }
      if (!process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        throw new AssertionError(
            String.join(" ", command)
                + " did not end within "
                + deadline
                + ":\n"
                + Files.readString(log, StandardCharsets.UTF_8));
      }
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      return new Ran(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8), took);
    } finally {
      Files.deleteIfExists(log);
    }
  }
}
