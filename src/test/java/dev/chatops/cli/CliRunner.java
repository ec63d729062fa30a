package dev.chatops.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
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
}
