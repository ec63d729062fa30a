package dev.chatops.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;

/**
 * What commands get from the process: its environment, working and temporary directories, and
 * streams. Injected so that tests run commands in-process with their own.
 */
public record CliContext(
    Map<String, String> environment,
    Path workingDirectory,
    Path temporaryDirectory,
    PrintWriter out,
    PrintWriter err) {

  public CliContext {
    environment = Map.copyOf(environment);
  }
}
