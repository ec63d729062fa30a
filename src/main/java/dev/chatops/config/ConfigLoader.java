package dev.chatops.config;

import dev.chatops.yaml.Position;
import dev.chatops.yaml.Problem;
import dev.chatops.yaml.SourceText;
import dev.chatops.yaml.YamlMap;
import dev.chatops.yaml.YamlNode;
import dev.chatops.yaml.YamlReader;
import dev.chatops.yaml.YamlScalar;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Loads {@code chatops.yaml}: the file, then {@code CHATOPS_*} variables (the environment wins),
 * then the schema's defaults for what neither sets, with secrets read from files or given in the
 * environment; everything is checked before use and every problem is reported at once, located at
 * the file's line and column or at the variable.
 *
 * <p>What may be written, the variables and the defaults all come from one description, {@code
 * schema/config.schema.json} ({@link ConfigSchema}). Every key can be set as {@code
 * CHATOPS_SECTION_KEY} ({@code CHATOPS_SERVER_PORT}, {@code CHATOPS_SECURITY_RATE_LIMIT_PER_KEY}).
 * Lists are comma-separated ({@code CHATOPS_SERVER_TRUSTED_PROXIES=10.0.0.0/8,fd00::/8}, empty for
 * an empty list). Hosts are {@code CHATOPS_HOSTS_<NAME>_DOCKER} with {@code _} for {@code -} in
 * NAME. A secret can be given directly ({@code CHATOPS_STORE_PASSWORD}) or as a file ({@code
 * CHATOPS_STORE_PASSWORD_FILE}); either one replaces the file's form. Relative paths from the
 * environment resolve against the working directory, except stack roots, which must be absolute
 * there. Notification channels ({@code notify}) and the sections of signed requests ({@code
 * github}, {@code slack}, {@code discord}) are written in the file only, their secrets in files:
 * their variables are refused. Sections planned but not built yet ({@code proxmox}) are refused, in
 * the file and in the environment, rather than ignored. Any other {@code CHATOPS_*} variable is an
 * error, except the {@link #RESERVED_VARIABLES}.
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
    ConfigSchema schema = ConfigSchema.shipped();
    Map<String, YamlScalar> secrets = new HashMap<>();
    YamlMap merged =
        new EnvironmentOverlay(origins, problems, schema.variables())
            .apply(root, environment, secrets);
    if (fileOk) {
      YamlMap available = withoutUnavailable(merged, schema, origins, problems);
      ConfigSchema.CheckResult checked = schema.check(available, origins);
      problems.addAll(checked.problems());
      ChatOpsConfig config =
          Sections.read(
              new ConfigReader(available, schema, origins, checked.rejected(), secrets, problems));
      if (problems.isEmpty()) {
        return new ConfigResult.Loaded(config);
      }
    }
    return new ConfigResult.Invalid(problems.stream().sorted(Problem.ORDER).toList());
  }

  /**
   * {@code root} without the sections not available yet, each reported: a user who configures one
   * would otherwise wait for something that never happens.
   */
  private static YamlMap withoutUnavailable(
      YamlMap root, ConfigSchema schema, Origins origins, List<Problem> problems) {
    Map<String, YamlMap.Entry> kept = new LinkedHashMap<>(root.entries());
    schema
        .unavailableSections()
        .forEach(
            (section, words) -> {
              YamlMap.Entry entry = kept.remove(section);
              if (entry != null) {
                problems.add(
                    new Problem(
                        origins.source(entry.value()),
                        entry.keyPosition(),
                        section,
                        words + "; remove the section"));
              }
            });
    return new YamlMap(root.position(), kept);
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
