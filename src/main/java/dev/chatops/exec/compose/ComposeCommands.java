package dev.chatops.exec.compose;

import dev.chatops.exec.Command;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.regex.Pattern;

/**
 * Builds the argv of every Compose operation ChatOps performs, for one project and flavour. The
 * project name and file are always explicit; service names are checked so that none can be read as
 * an option.
 */
public final class ComposeCommands {

  /** What Compose accepts as a service name; never starts with '-'. */
  public static final Pattern SERVICE_NAME = Pattern.compile("^[a-zA-Z0-9][a-zA-Z0-9._-]{0,62}$");

  private final ComposeFlavour flavour;
  private final String project;
  private final Path composeFile;
  private final Map<String, String> environment;
  private final Optional<Path> override;

  /**
   * @param environment variables every command gets, such as {@code DOCKER_HOST}
   */
  public ComposeCommands(
      ComposeFlavour flavour, String project, Path composeFile, Map<String, String> environment) {
    this(flavour, project, composeFile, environment, Optional.empty());
  }

  private ComposeCommands(
      ComposeFlavour flavour,
      String project,
      Path composeFile,
      Map<String, String> environment,
      Optional<Path> override) {
    this.flavour = flavour;
    this.project = project;
    this.composeFile = composeFile;
    this.environment = Map.copyOf(environment);
    this.override = override;
  }

  public String project() {
    return project;
  }

  public Path composeFile() {
    return composeFile;
  }

  /** The environment every command of this project gets. */
  public Map<String, String> environment() {
    return environment;
  }

  public ComposeFlavour flavour() {
    return flavour;
  }

  /** The ids of the project's containers, running or not. */
  public Command containerIds() {
    return command(List.of("ps", "--all", "--quiet"));
  }

  /** Pull the images of {@code services} (all when empty). */
  public Command pull(List<String> services) {
    List<String> args = new ArrayList<>(List.of("pull", "--quiet"));
    args.addAll(checked(services));
    return command(args);
  }

  /** Set {@code service} to {@code replicas} containers, leaving its other containers alone. */
  public Command scale(String service, long replicas) {
    check(service);
    return command(
        List.of(
            "up",
            "--detach",
            "--no-deps",
            "--no-recreate",
            "--scale",
            service + "=" + replicas,
            service));
  }

  /**
   * Bring {@code services} (all when empty) up on the current definition, keeping the given replica
   * counts, and with {@code waitTimeout} waiting for health where the flavour can.
   */
  public Command up(
      List<String> services, SortedMap<String, Long> scales, Optional<Duration> waitTimeout) {
    List<String> args = new ArrayList<>(List.of("up", "--detach"));
    scales.forEach(
        (service, replicas) -> {
          check(service);
          args.add("--scale");
          args.add(service + "=" + replicas);
        });
    if (waitTimeout.isPresent() && flavour.canWait()) {
      args.add("--wait");
      args.add("--wait-timeout");
      args.add(Long.toString(Math.max(1, waitTimeout.get().toSeconds())));
    }
    args.addAll(checked(services));
    return command(args);
  }

  /** The definition as Compose resolves it (variables interpolated), as YAML. */
  public Command config() {
    return command(List.of("config"));
  }

  /** {@code SERVICE HASH} per line: the definition hash Compose labels containers with. */
  public Command configHashes() {
    return command(List.of("config", "--hash=*"));
  }

  /** The same project and flavour with {@code override} merged over the project's file. */
  public ComposeCommands withOverride(Path override) {
    return new ComposeCommands(flavour, project, composeFile, environment, Optional.of(override));
  }

  /**
   * The same project and flavour reading {@code definition} (a definition recorded by {@link
   * #config()}) instead of the project's file, with {@code override} merged over it: how a recorded
   * definition is brought back up.
   */
  public ComposeCommands restoring(Path definition, Path override) {
    return new ComposeCommands(flavour, project, definition, environment, Optional.of(override));
  }

  /** Restart one service, or all when empty. */
  public Command restart(Optional<String> service) {
    List<String> args = new ArrayList<>(List.of("restart"));
    service.ifPresent(name -> args.add(check(name)));
    return command(args);
  }

  private Command command(List<String> args) {
    List<String> argv = new ArrayList<>(flavour.program());
    argv.add("--project-name");
    argv.add(project);
    argv.add("--file");
    argv.add(composeFile.toString());
    override.ifPresent(
        file -> {
          argv.add("--file");
          argv.add(file.toString());
        });
    argv.addAll(args);
    return new Command(argv, environment);
  }

  private static List<String> checked(List<String> services) {
    services.forEach(ComposeCommands::check);
    return services;
  }

  private static String check(String service) {
    if (!SERVICE_NAME.matcher(service).matches()) {
      throw new IllegalArgumentException("not a valid service name: " + service);
    }
    return service;
  }
}
