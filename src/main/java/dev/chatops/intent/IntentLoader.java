package dev.chatops.intent;

import dev.chatops.yaml.Position;
import dev.chatops.yaml.Problem;
import dev.chatops.yaml.SourceText;
import dev.chatops.yaml.YamlMap;
import dev.chatops.yaml.YamlReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Loads intent files and folders: every file is read within limits, parsed, checked against the
 * schema, bound, and then all intents are checked together. Every problem is reported, not just the
 * first; bad input never throws.
 *
 * <p>Thread-safe; build one per configuration.
 */
public final class IntentLoader {

  /**
   * Largest intent file read. Reviewed intents are small; a huge file is a mistake or an attack.
   */
  public static final int MAX_FILE_BYTES = 1024 * 1024;

  static final int MAX_DEPTH = 32;
  static final int MAX_STRING_LENGTH = 64 * 1024;
  static final int MAX_DOCUMENTS_PER_FILE = 256;
  private static final int MAX_FOLDER_DEPTH = 16;

  /** What loading gave: the intents (complete only when there are no problems) and the problems. */
  public record Result(IntentCatalog catalog, List<Problem> problems, int files) {
    public Result {
      problems = List.copyOf(problems);
    }

    public boolean valid() {
      return problems.isEmpty();
    }
  }

  private final IntentSchema schema;
  private final IntentBinder binder;
  private final YamlReader reader;

  public IntentLoader(IntentSchema schema, IntentRules rules) {
    this.schema = schema;
    this.binder = new IntentBinder(rules);
    this.reader = new YamlReader(MAX_DEPTH, MAX_STRING_LENGTH, MAX_DOCUMENTS_PER_FILE);
  }

  /**
   * Loads intent files, and every {@code .yaml}/{@code .yml} file under the given folders.
   *
   * @param displayBase problems name files relative to this folder when they lie under it
   * @throws NoSuchFileException when an input does not exist
   * @throws IOException when a file or folder cannot be read at all
   */
  public Result load(List<Path> inputs, Path displayBase) throws IOException {
    List<Path> files = new ArrayList<>();
    for (Path input : inputs) {
      files.addAll(expand(input));
    }
    Path base = displayBase.toAbsolutePath().normalize();
    List<FileResult> results;
    try {
      results =
          files.parallelStream().map(file -> loadFileUnchecked(file, display(file, base))).toList();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    List<Problem> problems = new ArrayList<>();
    List<Intent> intents = new ArrayList<>();
    for (FileResult result : results) {
      problems.addAll(result.problems());
      intents.addAll(result.intents());
    }
    var byName = IntentChecker.check(intents, problems);
    problems.sort(Problem.ORDER);
    return new Result(new IntentCatalog(byName.values()), problems, files.size());
  }

  /** The files of one input, in a stable order. */
  static List<Path> expand(Path input) throws IOException {
    if (!Files.exists(input)) {
      throw new NoSuchFileException(input.toString(), null, "no such file or folder");
    }
    if (!Files.isDirectory(input)) {
      return List.of(input);
    }
    try (Stream<Path> walk = Files.walk(input, MAX_FOLDER_DEPTH)) {
      return walk.filter(path -> !isHidden(input, path))
          .filter(Files::isRegularFile)
          .filter(IntentLoader::isYaml)
          .sorted()
          .toList();
    }
  }

  private static boolean isHidden(Path root, Path path) {
    for (Path part : root.relativize(path)) {
      if (part.toString().startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  private static boolean isYaml(Path path) {
    Path name = path.getFileName(); // null for a root, which is no YAML file
    return name != null && (name.toString().endsWith(".yaml") || name.toString().endsWith(".yml"));
  }

  private record FileResult(List<Intent> intents, List<Problem> problems) {}

  private static String display(Path file, Path base) {
    Path absolute = file.toAbsolutePath().normalize();
    return absolute.startsWith(base) && !absolute.equals(base)
        ? base.relativize(absolute).toString()
        : absolute.toString();
  }

  private FileResult loadFileUnchecked(Path file, String source) {
    try {
      return loadFile(file, source);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private FileResult loadFile(Path file, String source) throws IOException {
    List<Problem> problems = new ArrayList<>();
    List<Intent> intents = new ArrayList<>();
    String text;
    switch (SourceText.read(file, source, MAX_FILE_BYTES)) {
      case SourceText.Rejected rejected -> {
        return new FileResult(intents, List.of(rejected.problem()));
      }
      case SourceText.Text ok -> text = ok.text();
    }
    YamlReader.Parsed parsed = reader.parse(source, text);
    if (!parsed.ok()) {
      return new FileResult(intents, parsed.problems());
    }
    int documents = 0;
    for (YamlReader.Document document : parsed.documents()) {
      if (document.root() == null) {
        continue;
      }
      documents++;
      if (!(document.root() instanceof YamlMap map)) {
        problems.add(
            new Problem(
                source,
                document.start(),
                "",
                "an intent must be a mapping of fields (found "
                    + document.root().describe()
                    + ")"));
        continue;
      }
      List<Problem> violations = schema.validate(source, map);
      if (!violations.isEmpty()) {
        problems.addAll(violations);
        continue;
      }
      binder.bind(source, map, problems).ifPresent(intents::add);
    }
    if (documents == 0) {
      problems.add(
          new Problem(source, new Position(1, 1), "", "holds no intent (the file is empty)"));
    }
    return new FileResult(intents, problems);
  }
}
