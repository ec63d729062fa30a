package dev.chatops;

import dev.chatops.cli.Cli;
import dev.chatops.cli.CliContext;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** The composition root: takes what the process gives and hands over to the command line. */
public final class Main {

  private Main() {}

  public static void main(String[] args) {
    CliContext context =
        new CliContext(
            System.getenv(),
            Path.of("").toAbsolutePath(),
            Path.of(System.getProperty("java.io.tmpdir")),
            new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true),
            new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true));
    int status;
    try {
      status = Cli.run(context, args);
    } catch (RuntimeException | Error e) {
      // A bug or broken infrastructure: say so in one line, never as a stack trace on the console.
      context.err().println("chatops: internal error: " + e);
      context.err().flush();
      status = 70;
    }
    System.exit(status);
  }
}
