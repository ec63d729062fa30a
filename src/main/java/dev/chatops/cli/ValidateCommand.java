package dev.chatops.cli;

import dev.chatops.intent.IntentLoader;
import dev.chatops.yaml.Problem;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.node.ObjectNode;

/** {@code chatops validate [PATH...]}: checks intent files and reports every problem. */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description = {
      "Validate intent files or folders (default: the configured intents folder).",
      "Prints one line per problem: PATH:LINE:COL: error: MESSAGE.",
      "Exit status: 0 valid, 1 invalid, 2 usage or I/O error."
    })
final class ValidateCommand implements Callable<Integer> {

  @ParentCommand private ChatOpsCommand root;

  @Parameters(paramLabel = "PATH", arity = "0..*", description = "Intent files or folders.")
  private List<Path> paths = new ArrayList<>();

  @Option(
      names = "--format",
      defaultValue = "text",
      description = "Output: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  private OutputFormat format;

  private final CliContext context;

  ValidateCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    Optional<CommandConfig> settings = CommandConfig.load(context, root.config());
    if (settings.isEmpty()) {
      return ExitCode.USAGE;
    }
    List<Path> inputs =
        paths.isEmpty()
            ? List.of(settings.get().intentsDir())
            : paths.stream().map(context.workingDirectory()::resolve).toList();
    IntentLoader.Result result;
    try {
      result = settings.get().intentLoader().load(inputs, context.workingDirectory());
    } catch (IOException e) {
      context.err().println("chatops: cannot read intents: " + Errors.describe(e));
      return ExitCode.USAGE;
    }
    print(result);
    return result.valid() ? ExitCode.OK : ExitCode.INVALID;
  }

  private void print(IntentLoader.Result result) {
    List<Problem> problems = result.problems();
    switch (format) {
      case text -> {
        ProblemPrinter.text(context.out(), problems);
        context.err().println(summary(result));
      }
      case github -> {
        ProblemPrinter.github(context.out(), problems);
        context.err().println(summary(result));
      }
      case json -> {
        ObjectNode node = ProblemPrinter.JSON.createObjectNode();
        node.put("valid", result.valid());
        node.put("files", result.files());
        node.put("intents", result.catalog().size());
        node.set("problems", ProblemPrinter.json(problems));
        context.out().println(ProblemPrinter.JSON.writeValueAsString(node));
      }
    }
  }

  private static String summary(IntentLoader.Result result) {
    if (result.valid()) {
      return "chatops: "
          + result.catalog().size()
          + " intent(s) in "
          + result.files()
          + " file(s): valid";
    }
    return "chatops: "
        + result.problems().size()
        + " problem(s) in "
        + result.problems().stream().map(Problem::source).distinct().count()
        + " of "
        + result.files()
        + " file(s)";
  }
}
