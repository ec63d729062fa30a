package dev.chatops.config;

import dev.chatops.yaml.Position;
import dev.chatops.yaml.Problem;
import dev.chatops.yaml.SourceText;
import dev.chatops.yaml.YamlMap;
import dev.chatops.yaml.YamlNode;
import dev.chatops.yaml.YamlReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Loads {@code chatops.yaml}: built-in defaults, then the file, then {@code CHATOPS_*} variables
 * (the environment wins), with secrets read from files or given in the environment; everything is
 * validated before use and every problem is reported at once, located at the file's line and column
 * or at the variable.
 *
 * <p>Every key can be set as {@code CHATOPS_SECTION_KEY} ({@code CHATOPS_SERVER_PORT}, {@code
 * CHATOPS_SECURITY_RATE_LIMIT_PER_KEY}). Lists are comma-separated ({@code
 * CHATOPS_SERVER_TRUSTED_PROXIES=10.0.0.0/8,fd00::/8}, empty for an empty list). Hosts are {@code
 * CHATOPS_HOSTS_<NAME>_DOCKER} with {@code _} for {@code -} in NAME; notify entries {@code
 * CHATOPS_NOTIFY_<N>_URL|URL_FILE|TYPE|EVENTS}, N counting from 0 like {@code notify[N]}, replacing
 * or appending entries without gaps; GitHub rules {@code CHATOPS_GITHUB_RULES} as a YAML list.
 * Secrets can be given directly ({@code CHATOPS_GITHUB_WEBHOOK_SECRET}, {@code
 * CHATOPS_SLACK_SIGNING_SECRET}, {@code CHATOPS_PROXMOX_TOKEN}, {@code CHATOPS_STORE_PASSWORD},
 * {@code CHATOPS_NOTIFY_<N>_URL}) or as {@code _FILE} forms; either one replaces the file's form.
 * Relative paths from the environment resolve against the working directory, except stack roots,
 * which must be absolute there. Any other {@code CHATOPS_*} variable is an error, except the {@link
 * #RESERVED_VARIABLES}.
 *
 * <p>Thread-safe: it holds only immutable inputs.
 */
public final class ConfigLoader {

  /** Names the configuration file; read by the command line, not a setting. */
  public static final String CONFIG_VARIABLE = "CHATOPS_CONFIG";

  /** Reserved for ChatOps' home folder; not a setting. */
  public static final String HOME_VARIABLE = "CHATOPS_HOME";

  /** {@code CHATOPS_*} variables that are not settings and are never reported as unknown. */
  public static final Set<String> RESERVED_VARIABLES = Set.of(CONFIG_VARIABLE, HOME_VARIABLE);

  /** The largest configuration file read. */
  public static final int MAX_FILE_BYTES = 1024 * 1024;

  static final int MAX_DEPTH = 32;
  static final int MAX_STRING_LENGTH = 16 * 1024;

  private final Map<String, String> environment;
  private final Path workingDirectory;

  /**
   * @param environment the process environment (only {@code CHATOPS_*} entries are looked at)
   * @param workingDirectory absolute; the config file path and relative environment paths resolve
   *     against it, and so do defaults when there is no file
   */
  public ConfigLoader(Map<String, String> environment, Path workingDirectory) {
    this.environment = Map.copyOf(Objects.requireNonNull(environment, "environment"));
    if (!workingDirectory.isAbsolute()) {
      throw new IllegalArgumentException("the working directory must be absolute");
    }
    this.workingDirectory = workingDirectory.normalize();
  }

  /**
   * Loads the configuration.
   *
   * @param file the config file; empty: built-in defaults and the environment only. A relative path
   *     resolves against the working directory; problems name it as given.
   * @return the configuration, or every problem found (never throws on bad content)
   * @throws IOException when the config file itself cannot be read (missing, unreadable)
   */
  public ConfigResult load(Optional<Path> file) throws IOException {
    List<Problem> problems = new ArrayList<>();
    YamlReader reader = new YamlReader(MAX_DEPTH, MAX_STRING_LENGTH, 1);
    Origins origins;
    YamlMap root;
    if (file.isPresent()) {
      Path path = workingDirectory.resolve(file.get()).normalize();
      String name = file.get().toString();
      Path folder = path.getParent() == null ? workingDirectory : path.getParent();
      origins = new Origins(name, folder, workingDirectory);
      root = read(path, name, reader, problems);
    } else {
      origins = new Origins("(built-in defaults)", workingDirectory, workingDirectory);
      root = new YamlMap(new Position(1, 1), Map.of());
    }
    boolean fileOk = problems.isEmpty();
    EnvironmentOverlay overlay = new EnvironmentOverlay(origins, problems, reader);
    YamlMap merged = overlay.apply(root, environment);
    if (fileOk) {
      Binding binding = new Binding(origins);
      ChatOpsConfig config = ConfigBinder.bind(merged, binding);
      problems.addAll(binding.problems());
      if (problems.isEmpty()) {
        return new ConfigResult.Loaded(config);
      }
    }
    return new ConfigResult.Invalid(problems.stream().sorted(Problem.ORDER).toList());
  }

  /** The file's single document as a mapping; problems when it is not one. */
  private static YamlMap read(Path path, String name, YamlReader reader, List<Problem> problems)
      throws IOException {
    YamlMap empty = new YamlMap(new Position(1, 1), Map.of());
    String text;
    switch (SourceText.read(path, name, MAX_FILE_BYTES)) {
      case SourceText.Rejected rejected -> {
        problems.add(rejected.problem());
        return empty;
      }
      case SourceText.Text read -> text = read.text();
    }
    YamlReader.Parsed parsed = reader.parse(name, text);
    problems.addAll(parsed.problems());
    if (!parsed.ok() || parsed.documents().isEmpty()) {
      return empty;
    }
    YamlNode document = parsed.documents().get(0).root();
    if (document == null) {
      return empty;
    }
    if (document instanceof YamlMap map) {
      return map;
    }
    problems.add(
        new Problem(
            name,
            document.position(),
            "",
            "the configuration must be a mapping of sections such as server: and stacks: (found "
                + document.describe()
                + ")"));
    return empty;
  }
}
