package dev.chatops.exec.compose;

import dev.chatops.exec.Command;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** The argv of the plain Docker CLI calls ChatOps makes beside Compose. */
public final class DockerCommands {

  /** An image reference as Docker writes them; never starts with '-', has no spaces. */
  private static final Pattern REFERENCE = Pattern.compile("^[a-zA-Z0-9][a-zA-Z0-9._/:@-]{0,254}$");

  private static final Pattern IMAGE_ID = Pattern.compile("^sha256:[0-9a-f]{64}$");
  private static final Pattern CONTAINER_ID = Pattern.compile("^[0-9a-f]{12,64}$");

  private final Map<String, String> environment;

  public DockerCommands(Map<String, String> environment) {
    this.environment = Map.copyOf(environment);
  }

  /** The ids of every container of a Compose project, running or not. */
  public Command containerIds(String project) {
    return command(
        List.of(
            "ps",
            "--all",
            "--quiet",
            "--no-trunc",
            "--filter",
            "label=com.docker.compose.project=" + project));
  }

  /**
   * One {@link ContainerState#PS_FORMAT} line per container of a project: its state and health in
   * one cheap call, for polling.
   */
  public Command containerStatuses(String project) {
    return command(
        List.of(
            "ps",
            "--all",
            "--no-trunc",
            "--filter",
            "label=com.docker.compose.project=" + project,
            "--format",
            ContainerState.PS_FORMAT));
  }

  /** One {@link ContainerState#FORMAT} line per container. */
  public Command inspect(List<String> containerIds) {
    List<String> args =
        new ArrayList<>(List.of("container", "inspect", "--format", ContainerState.FORMAT));
    for (String id : containerIds) {
      if (!CONTAINER_ID.matcher(id).matches()) {
        throw new IllegalArgumentException("not a container id: " + id);
      }
      args.add(id);
    }
    return command(args);
  }

  /**
   * {@code ID<TAB>RepoDigests} for each image reference or id that exists (the command fails for
   * the others, after printing the ones it found).
   */
  public Command imageDigests(List<String> images) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "image", "inspect", "--format", "{{.Id}}\t{{range .RepoDigests}}{{.}},{{end}}"));
    for (String image : images) {
      args.add(checkImage(image));
    }
    return command(args);
  }

  /** Gives the image {@code imageId} a second name, {@code target}. */
  public Command tag(String imageId, String target) {
    return command(List.of("image", "tag", checkImage(imageId), checkImage(target)));
  }

  /**
   * Every name ({@code REPOSITORY:TAG}) the engine holds in a repository whose name starts with
   * {@code prefix} (up to the next '/'), one per line: the rollback names of one project.
   */
  public Command imageNames(String prefix) {
    return command(
        List.of(
            "image",
            "ls",
            "--filter",
            "reference=" + checkImage(prefix) + "*",
            "--format",
            "{{.Repository}}:{{.Tag}}"));
  }

  /**
   * Removes the name {@code name}: an untag while the image has other names; the engine refuses
   * (without {@code --force}, which is never given) when a container uses the image.
   */
  public Command untag(String name) {
    if (IMAGE_ID.matcher(name).matches() || !name.contains(":")) {
      throw new IllegalArgumentException("not an image name with a tag: " + name);
    }
    return command(List.of("image", "rm", checkImage(name)));
  }

  /** The name of every network on the engine, one per line. */
  public Command networkNames() {
    return command(List.of("network", "ls", "--format", "{{.Name}}"));
  }

  /** The name of every volume on the engine, one per line. */
  public Command volumeNames() {
    return command(List.of("volume", "ls", "--format", "{{.Name}}"));
  }

  private static String checkImage(String image) {
    if (!IMAGE_ID.matcher(image).matches() && !REFERENCE.matcher(image).matches()) {
      throw new IllegalArgumentException("not an image id or reference: " + image);
    }
    return image;
  }

  private Command command(List<String> args) {
    List<String> argv = new ArrayList<>();
    argv.add("docker");
    argv.addAll(args);
    return new Command(argv, environment);
  }
}
