package dev.chatops.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chatops.config.ConfigLoader;
import dev.chatops.config.ConfigResult;
import dev.chatops.intent.IntentLoader;
import dev.chatops.intent.IntentRules;
import dev.chatops.intent.IntentSchema;
import dev.chatops.yaml.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.json.JsonMapper;

/**
 * The pages check themselves: configuration and intent blocks load as the service would load them,
 * and links between pages resolve. The rules are in {@link Markdown}.
 */
class DocsTest {

  /** A secret file's path as a configuration block writes it, inline or in a flow mapping. */
  private static final Pattern SECRET_FILE =
      Pattern.compile("(\\b[a-z_]*_file:\\s*)(\"?)(/[^\\s,}\"]+)\\2");

  @TempDir Path tmp;

  static Set<String> configSections() throws IOException {
    Set<String> sections = new java.util.TreeSet<>();
    JsonMapper.builder()
        .build()
        .readTree(Markdown.PROJECT.resolve("schema/config.schema.json").toFile())
        .get("properties")
        .propertyNames()
        .forEach(sections::add);
    return sections;
  }

  static Stream<Markdown.Block> configBlocks() throws IOException {
    Set<String> sections = configSections();
    return yamlBlocks().filter(block -> sections.contains(block.firstKey()));
  }

  static Stream<Markdown.Block> intentBlocks() {
    // docs/INTENTS.md is generated, and IntentsReferenceTest loads its examples as one set (its
    // batch names intents of the other examples), so they are checked there.
    return yamlBlocks()
        .filter(block -> block.hasTopLevel("action"))
        .filter(block -> !block.where().startsWith("docs/INTENTS.md:"));
  }

  private static Stream<Markdown.Block> yamlBlocks() {
    return Markdown.pages().stream()
        .flatMap(page -> Markdown.blocks(page).stream())
        .filter(block -> block.info().equals("yaml") || block.info().equals("yml"))
        .filter(block -> !block.firstLine().equals(Markdown.SKIP));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("configBlocks")
  void aConfigurationBlockLoads(Markdown.Block block) throws IOException {
    Map<String, Path> secrets = new HashMap<>();
    Matcher secret = SECRET_FILE.matcher(block.text());
    StringBuilder text = new StringBuilder();
    while (secret.find()) {
      Path file =
          secrets.computeIfAbsent(secret.group(3), path -> tmp.resolve("secret-" + secrets.size()));
      secret.appendReplacement(
          text,
          Matcher.quoteReplacement(secret.group(1) + secret.group(2) + file + secret.group(2)));
    }
    secret.appendTail(text);
    for (Map.Entry<String, Path> file : secrets.entrySet()) {
      Files.writeString(file.getValue(), placeholder(block.text(), file.getKey()));
    }
    Path config = tmp.resolve("chatops.yaml");
    Files.writeString(config, text);

    ConfigResult result = new ConfigLoader(Map.of(), tmp).load(Optional.of(config));

    assertThat(result)
        .as(
            () ->
                block.where()
                    + " does not load:\n"
                    + (result instanceof ConfigResult.Invalid invalid
                        ? String.join(
                            "\n", invalid.problems().stream().map(Problem::format).toList())
                        : ""))
        .isInstanceOf(ConfigResult.Loaded.class);
  }

  /**
   * What a secret file holds for the loader's checks: a notification address for a channel's {@code
   * url_file}, any text for the others.
   */
  private static String placeholder(String text, String path) {
    return Pattern.compile("url_file:\\s*\"?" + Pattern.quote(path)).matcher(text).find()
        ? "ntfy://ntfy.example.org/chatops\n"
        : "placeholder-secret-value\n";
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("intentBlocks")
  void anIntentBlockValidates(Markdown.Block block) throws IOException {
    Path file = tmp.resolve("intents.yaml");
    Files.writeString(file, block.text());
    IntentLoader loader =
        new IntentLoader(
            IntentSchema.load(),
            new IntentRules(
                List.of(Path.of("/opt/stacks")),
                Set.of("local", "whitebox", "redbox", "bloodbox")));

    IntentLoader.Result result = loader.load(List.of(file), tmp);

    assertThat(result.problems())
        .as(block.where() + " is not a valid intent")
        .extracting(Problem::format)
        .isEmpty();
  }

  @Test
  void theRulesFindBlocksOfEachKind() throws IOException {
    // a rule that matches nothing would pass for ever
    assertThat(configBlocks().map(Markdown.Block::where))
        .anyMatch(where -> where.startsWith("docs/DEPLOYMENT.md"));
    assertThat(intentBlocks()).isNotEmpty();
  }

  @Test
  void linksBetweenPagesResolve() {
    List<String> broken = new ArrayList<>();
    for (Path page : Markdown.pages()) {
      for (Markdown.Link link : Markdown.links(page)) {
        String target = link.target();
        if (target.matches("^[a-z]+:.*")) {
          continue; // https:, mailto:: not ours to check offline
        }
        int hash = target.indexOf('#');
        String file = hash < 0 ? target : target.substring(0, hash);
        String anchor = hash < 0 ? "" : target.substring(hash + 1);
        Path resolved = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
        String where = Markdown.PROJECT.relativize(page) + ":" + link.line() + ": " + target;
        if (!Files.exists(resolved)) {
          broken.add(where + " (no such file)");
        } else if (!anchor.isEmpty()
            && resolved.toString().endsWith(".md")
            && !Markdown.anchors(resolved).contains(anchor)) {
          broken.add(where + " (no such heading)");
        }
      }
    }
    assertThat(broken).isEmpty();
  }
}
