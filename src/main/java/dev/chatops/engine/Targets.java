package dev.chatops.engine;

import dev.chatops.exec.compose.ComposeCommands;
import dev.chatops.exec.compose.ComposeFlavour;
import dev.chatops.exec.compose.DockerCommands;
import dev.chatops.intent.Action;
import dev.chatops.intent.ComposeFileCheck;
import dev.chatops.intent.Intent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Resolves the stack an intent acts on: its engine, project and Compose file, checked again at the
 * moment of use (a link may have changed since the intent was loaded). Plans and runs share it.
 */
final class Targets {

  /** What resolving gave: the stack, or why there is none. */
  sealed interface Resolution permits Target, Unresolved {}

  /** Why there is no target: each reason names the part at fault. */
  record Unresolved(List<String> reasons) implements Resolution {
    Unresolved {
      reasons = List.copyOf(reasons);
    }
  }

  /** A resolved stack. */
  record Target(
      String host,
      String project,
      Path composeFile,
      Map<String, String> environment,
      List<String> notes)
      implements Resolution {
    Target {
      environment = Map.copyOf(environment);
      notes = List.copyOf(notes);
    }

    /** The lock key: one operation per project per engine. */
    String key() {
      return host + "/" + project;
    }

    ComposeCommands compose(ComposeFlavour flavour) {
      return new ComposeCommands(flavour, project, composeFile, environment);
    }

    DockerCommands docker() {
      return new DockerCommands(environment);
    }
  }

  private final Map<String, String> dockerHosts;
  private final ComposeFileCheck composeFiles;

  Targets(Map<String, String> dockerHosts, ComposeFileCheck composeFiles) {
    this.dockerHosts = Map.copyOf(dockerHosts);
    this.composeFiles = composeFiles;
  }

  /** The target, or the reasons there is none. */
  Resolution resolve(Intent intent, Action.Stack stack) {
    List<String> reasons = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    String dockerHost = dockerHosts.get(intent.host());
    if (dockerHost == null) {
      reasons.add("host '" + intent.host() + "' is not configured");
    }
    Path file;
    if (stack.composeFile().isPresent()) {
      file = stack.composeFile().get();
      composeFiles
          .refusal(file.toString())
          .ifPresent(reason -> reasons.add("compose_file " + reason));
      if (!Files.isRegularFile(file)) {
        notes.add("compose file " + file + " does not exist on this machine");
      }
    } else {
      Optional<Path> found = composeFiles.locate(stack.project());
      if (found.isEmpty()) {
        reasons.add(
            "no Compose file for stack "
                + stack.project()
                + ": looked for "
                + String.join(", ", ComposeFileCheck.DEFAULT_FILE_NAMES)
                + " in "
                + composeFiles.candidates(stack.project()));
        return new Unresolved(reasons);
      }
      file = found.get();
    }
    if (dockerHost == null || !reasons.isEmpty()) {
      return new Unresolved(reasons);
    }
    return new Target(
        intent.host(), stack.project(), file, Map.of("DOCKER_HOST", dockerHost), notes);
  }
}
