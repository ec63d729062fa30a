package dev.chatops.cli;

import dev.chatops.config.ChatOpsConfig;
import dev.chatops.config.ConfigLoader;
import dev.chatops.config.ConfigResult;
import dev.chatops.exec.compose.ComposeDetector;
import dev.chatops.exec.compose.ComposeFlavour;
import dev.chatops.intent.ComposeFileCheck;
import dev.chatops.intent.IntentLoader;
import dev.chatops.intent.IntentRules;
import dev.chatops.intent.IntentSchema;
import dev.chatops.yaml.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The configuration a command runs with, and what is derived from it. */
record Settings(ChatOpsConfig config) {

  /** The file to read: {@code --config}, else {@code $CHATOPS_CONFIG}, else ./chatops.yaml. */
  static Optional<Path> configFile(CliContext context, Optional<Path> option) {
    if (option.isPresent()) {
      return option.map(context.workingDirectory()::resolve);
    }
    String fromEnvironment = context.environment().get("CHATOPS_CONFIG");
    if (fromEnvironment != null && !fromEnvironment.isBlank()) {
      return Optional.of(context.workingDirectory().resolve(fromEnvironment));
    }
    Path conventional = context.workingDirectory().resolve("chatops.yaml");
    return Files.isRegularFile(conventional) ? Optional.of(conventional) : Optional.empty();
  }

  /**
   * Loads the configuration, printing its problems on failure.
   *
   * @return empty when the configuration cannot be used (the caller exits with {@link
   *     ExitCode#USAGE})
   */
  static Optional<Settings> load(CliContext context, Optional<Path> option) {
    Optional<Path> file = configFile(context, option);
    ConfigResult result;
    try {
      result = new ConfigLoader(context.environment(), context.workingDirectory()).load(file);
    } catch (IOException e) {
      context
          .err()
          .println(
              "chatops: cannot read configuration "
                  + file.map(Path::toString).orElse("")
                  + ": "
                  + Errors.describe(e));
      return Optional.empty();
    }
    return switch (result) {
      case ConfigResult.Loaded loaded -> Optional.of(new Settings(loaded.config()));
      case ConfigResult.Invalid invalid -> {
        invalid.problems().stream().map(Problem::format).forEach(context.err()::println);
        context.err().println("chatops: the configuration is invalid");
        yield Optional.empty();
      }
    };
  }

  IntentRules intentRules() {
    return new IntentRules(config.stacks().roots(), config.hosts().keySet());
  }

  IntentLoader intentLoader() {
    return new IntentLoader(IntentSchema.load(), intentRules());
  }

  ComposeFileCheck composeFiles() {
    return new ComposeFileCheck(config.stacks().roots());
  }

  Path intentsDir() {
    return config.intents().dir();
  }

  Map<String, String> dockerHosts() {
    Map<String, String> hosts = new LinkedHashMap<>();
    config.hosts().forEach((name, host) -> hosts.put(name, host.docker().toString()));
    return hosts;
  }

  /** The configured flavour; {@code auto} looks at what is installed, preferring the plugin. */
  ComposeFlavour composeFlavour(Map<String, String> environment) {
    return switch (config.docker().compose()) {
      case PLUGIN -> ComposeFlavour.PLUGIN;
      case STANDALONE -> ComposeFlavour.STANDALONE;
      case AUTO -> new ComposeDetector(environment).detect().orElse(ComposeFlavour.PLUGIN);
    };
  }
}
