package dev.chatops.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The parts of the project's Markdown pages that the doc tests check: fenced code blocks (with
 * their info string and first line number), heading anchors as GitHub makes them, and links.
 *
 * <p>The rules, for whoever writes a page (docs/*.md and README.md):
 *
 * <ul>
 *   <li>A {@code ```yaml} block whose first key at column 0 (comments and blank lines skipped) is a
 *       top-level section of {@code schema/config.schema.json} is a ChatOps configuration: it must
 *       load with the real loader ({@code *_file} secrets are replaced by files holding a
 *       placeholder).
 *   <li>A {@code ```yaml} block with an {@code action:} key at column 0 is one or more intents: it
 *       must validate as intents do (stack root {@code /opt/stacks}; hosts {@code local}, {@code
 *       whitebox}, {@code redbox}, {@code bloodbox}; a batch's steps in the same block).
 *   <li>A block whose first line is {@code # doc-test: skip} is neither (a fragment, or an example
 *       of a mistake).
 *   <li>A {@code ```sh} block whose first line is {@code # test: runs} runs with {@code bash -e} in
 *       an empty folder, {@code chatops} on the PATH being the packaged jar; it must exit 0.
 *   <li>Relative links to {@code .md} files and {@code #anchors} must resolve.
 * </ul>
 */
final class Markdown {

  static final Path PROJECT = Path.of("").toAbsolutePath();
  static final String SKIP = "# doc-test: skip";
  static final String RUNS = "# test: runs";

  private static final Pattern FENCE = Pattern.compile("^(\\s*)(```+|~~~+)\\s*([^`\\s]*)?.*$");
  private static final Pattern HEADING = Pattern.compile("^(#{1,6})\\s+(.*?)\\s*#*\\s*$");
  private static final Pattern LINK =
      Pattern.compile("\\[[^\\]]*\\]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");
  private static final Pattern INLINE_CODE = Pattern.compile("`[^`]*`");

  /** A fenced block: the page, the line of its first content line, the info string, the text. */
  record Block(Path page, int line, String info, String text) {
    String where() {
      return PROJECT.relativize(page) + ":" + line;
    }

    String firstLine() {
      return text.lines().findFirst().orElse("").strip();
    }

    /** The first key at column 0, comments and blank lines skipped. */
    String firstKey() {
      for (String line : text.split("\n", -1)) {
        if (line.isBlank() || line.startsWith("#") || line.equals("---")) {
          continue;
        }
        Matcher key = Pattern.compile("^([A-Za-z_][A-Za-z0-9_-]*):").matcher(line);
        return key.find() ? key.group(1) : "";
      }
      return "";
    }

    boolean hasTopLevel(String key) {
      return text.lines().anyMatch(line -> line.startsWith(key + ":"));
    }
  }

  /** A link in a page, with its line. */
  record Link(Path page, int line, String target) {}

  private Markdown() {}

  /** docs/*.md and README.md. */
  static List<Path> pages() {
    try (Stream<Path> docs = Files.list(PROJECT.resolve("docs"))) {
      List<Path> pages =
          new ArrayList<>(docs.filter(page -> page.toString().endsWith(".md")).sorted().toList());
      pages.add(PROJECT.resolve("README.md"));
      return pages;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<Block> blocks(Path page) {
    List<String> lines = read(page);
    List<Block> blocks = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      Matcher open = FENCE.matcher(lines.get(i));
      if (!open.matches()) {
        continue;
      }
      String fence = open.group(2);
      String indent = open.group(1);
      String info = open.group(3) == null ? "" : open.group(3).toLowerCase(Locale.ROOT);
      StringBuilder text = new StringBuilder();
      int j = i + 1;
      for (; j < lines.size(); j++) {
        String line = lines.get(j);
        if (line.strip().startsWith(fence)
            && line.strip().replace(fence.substring(0, 1), "").isEmpty()) {
          break;
        }
        text.append(line.startsWith(indent) ? line.substring(indent.length()) : line).append('\n');
      }
      blocks.add(new Block(page, i + 2, info, text.toString()));
      i = j;
    }
    return blocks;
  }

  /** The anchors GitHub gives the page's headings (outside code blocks). */
  static Set<String> anchors(Path page) {
    Map<String, Integer> seen = new LinkedHashMap<>();
    boolean inCode = false;
    for (String line : read(page)) {
      if (FENCE.matcher(line).matches()) {
        inCode = !inCode;
        continue;
      }
      Matcher heading = HEADING.matcher(line);
      if (inCode || !heading.matches()) {
        continue;
      }
      String slug =
          heading
              .group(2)
              .toLowerCase(Locale.ROOT)
              .replaceAll("\\[([^\\]]*)\\]\\([^)]*\\)", "$1")
              .replaceAll("[^\\p{L}\\p{N} _-]", "")
              .replace(' ', '-');
      int count = seen.merge(slug, 1, Integer::sum);
      seen.putIfAbsent(slug, 1);
      if (count > 1) {
        seen.put(slug + "-" + (count - 1), 1);
      }
    }
    return seen.keySet();
  }

  /** Links outside code blocks and inline code. */
  static List<Link> links(Path page) {
    List<Link> links = new ArrayList<>();
    boolean inCode = false;
    List<String> lines = read(page);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (FENCE.matcher(line).matches()) {
        inCode = !inCode;
        continue;
      }
      if (inCode) {
        continue;
      }
      Matcher link = LINK.matcher(INLINE_CODE.matcher(line).replaceAll(""));
      while (link.find()) {
        links.add(new Link(page, i + 1, link.group(1)));
      }
    }
    return links;
  }

  private static List<String> read(Path page) {
    try {
      return Files.readAllLines(page);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
