package dev.chatops.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Copies of the example stacks under a private stack root, each under a project name of its own,
 * taken down when the test ends so that runs never see each other's containers.
 */
public final class ExampleStacks implements AutoCloseable {

  private final Path root;
  private final String prefix;
  private final List<String> projects = new ArrayList<>();

  public ExampleStacks(Path dir) throws IOException {
    this.root = Files.createDirectories(dir.toRealPath().resolve("stacks"));
    this.prefix = "t" + UUID.randomUUID().toString().substring(0, 8);
  }

  public Path root() {
    return root;
  }

  /**
   * Copies {@code examples/stacks/NAME} to a fresh folder and returns its project name (also its
   * folder name, so the stack's compose file is {@code ROOT/PROJECT/compose.yaml}).
   */
  public String copy(String example) throws IOException {
    String project = (prefix + "-" + example).toLowerCase(Locale.ROOT);
    Path target = Files.createDirectories(root.resolve(project));
    Path source = Path.of("examples/stacks").resolve(example);
    try (Stream<Path> files = Files.list(source)) {
      for (Path file : files.toList()) {
        Files.copy(file, target.resolve(file.getFileName()));
      }
    }
    projects.add(project);
    return project;
  }

  public Path composeFile(String project) {
    return root.resolve(project).resolve("compose.yaml");
  }

  /** Replaces {@code KEY=...} in the stack's .env. */
  public void setEnv(String project, String key, String value) throws IOException {
    Path env = root.resolve(project).resolve(".env");
    List<String> lines = new ArrayList<>();
    boolean found = false;
    for (String line : Files.readAllLines(env)) {
      if (line.startsWith(key + "=")) {
        lines.add(key + "=" + value);
        found = true;
      } else {
        lines.add(line);
      }
    }
    if (!found) {
      lines.add(key + "=" + value);
    }
    Files.write(env, lines);
  }

  /** Replaces text in the stack's compose file (to change a service's definition). */
  public void edit(String project, String from, String to) throws IOException {
    Path file = composeFile(project);
    String text = Files.readString(file);
    if (!text.contains(from)) {
      throw new IllegalArgumentException(from + " is not in " + file);
    }
    Files.writeString(file, text.replace(from, to));
  }

  /** Brings the whole stack up the plain way, as an operator would have it running. */
  public void up(String project) {
    var result =
        DockerEngine.compose(
            "--project-name", project, "--file", composeFile(project).toString(), "up", "--detach");
    if (!result.succeeded()) {
      throw new IllegalStateException("cannot bring up " + project + ": " + result.output());
    }
  }

  /** The containers of a service as {@code ID NAME IMAGE_ID STATUS HEALTH}. */
  public List<String> containers(String project, String service) {
    List<String> ids =
        DockerEngine.lines(
            "ps",
            "--all",
            "--quiet",
            "--no-trunc",
            "--filter",
            "label=com.docker.compose.project=" + project,
            "--filter",
            "label=com.docker.compose.service=" + service);
    if (ids.isEmpty()) {
      return List.of();
    }
    List<String> args =
        new ArrayList<>(
            List.of(
                "container",
                "inspect",
                "--format",
                "{{.Id}} {{.Name}} {{.Image}} {{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{end}}"));
    args.addAll(ids);
    return DockerEngine.lines(args.toArray(String[]::new));
  }

  @Override
  public void close() throws IOException {
    for (String project : projects) {
      DockerEngine.compose(
          "--project-name",
          project,
          "--file",
          composeFile(project).toString(),
          "down",
          "--volumes",
          "--remove-orphans",
          "--timeout",
          "2");
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
