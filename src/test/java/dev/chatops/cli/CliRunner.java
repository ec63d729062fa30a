package dev.chatops.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs the command line in-process with captured streams. */
final class CliRunner {

  /** What a command printed and returned. */
  record Outcome(int status, String out, String err) {}

  private final Map<String, String> environment;
  private final Path workingDirectory;

  CliRunner(Map<String, String> environment, Path workingDirectory) {
    this.environment = environment;
    this.workingDirectory = workingDirectory;
  }

  Outcome run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status =
        Cli.run(
            new CliContext(
                environment,
                workingDirectory,
                Path.of(System.getProperty("java.io.tmpdir")),
                new PrintWriter(out),
                new PrintWriter(err)),
            args);
    return new Outcome(status, out.toString(), err.toString());
  }

  /**
   * Starts {@code chatops ARGS...} as a process of its own (this JVM's java and class path) in
   * {@code cwd}, with its standard output and error in the files {@code out} and {@code err}.
   */
  static Process start(Path cwd, Path out, Path err, String... args) throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "dev.chatops.Main"));
    command.addAll(List.of(args));
    return new ProcessBuilder(command)
        .directory(cwd.toFile())
        .redirectOutput(out.toFile())
        .redirectError(err.toFile())
        .start();
  }
}
