package dev.chatops.deploy.monitoring;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Debian's promtool (package {@code prometheus}), run with a deadline. */
final class Promtool {

  static final Path BINARY = Path.of("/usr/bin/promtool");

  /** What promtool said and how it exited. */
  record Ran(int status, String out) {}

  private Promtool() {}

  /** Runs {@code promtool ARGS} in {@code dir}; a missing promtool fails the test (never skips). */
  static Ran run(Path dir, String... args) throws IOException, InterruptedException {
    if (!Files.isExecutable(BINARY)) {
      throw new AssertionError(
          BINARY + " is missing: run scripts/test-env.sh (Debian package prometheus)");
    }
    List<String> command = new ArrayList<>(List.of(BINARY.toString()));
    command.addAll(List.of(args));
    Path log = Files.createTempFile("promtool", ".log");
    try {
      Process process =
          new ProcessBuilder(command)
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      if (!process.waitFor(1, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new AssertionError("promtool " + String.join(" ", args) + " ran past 1 minute");
      }
      return new Ran(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(log);
    }
  }
}
