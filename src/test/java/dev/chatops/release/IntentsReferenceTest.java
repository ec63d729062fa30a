package dev.chatops.release;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chatops.intent.IntentLoader;
import dev.chatops.intent.IntentRules;
import dev.chatops.intent.IntentSchema;
import dev.chatops.yaml.Problem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * docs/INTENTS.md is what {@link IntentsReference} makes of schema/intent.schema.json, and every
 * intent it shows is one that {@code chatops validate} accepts.
 *
 * <p>{@code -Dchatops.docs.update=true} rewrites the page instead of comparing it (then the test
 * still fails, so that a build never passes by rewriting its own reference).
 */
class IntentsReferenceTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern YAML_BLOCK = Pattern.compile("(?s)```yaml\n(.*?)```");

  private static JsonNode schema() throws IOException {
    return JSON.readTree(Files.readString(Path.of(IntentsReference.SCHEMA_PATH)));
  }

  @Test
  void thePageIsTheOneTheSchemaGives() throws IOException {
    String expected = IntentsReference.render(schema());
    Path page = Path.of(IntentsReference.PAGE_PATH);
    if (Boolean.getBoolean("chatops.docs.update")) {
      Files.writeString(page, expected, StandardCharsets.UTF_8);
      throw new AssertionError(
          page + " rewritten from the schema; run the test again without -Dchatops.docs.update");
    }
    String actual = Files.exists(page) ? Files.readString(page) : "";

    assertThat(actual)
        .withFailMessage(
            "%s differs from what %s gives; regenerate it with%n  %s%nand review the diff",
            page, IntentsReference.SCHEMA_PATH, IntentsReference.REGENERATE)
        .isEqualTo(expected);
  }

  @Test
  void everyIntentOnThePageValidates(@TempDir Path dir) throws IOException {
    String page = Files.readString(Path.of(IntentsReference.PAGE_PATH));
    List<String> blocks = new ArrayList<>();
    Matcher block = YAML_BLOCK.matcher(page);
    while (block.find()) {
      blocks.add(block.group(1));
    }
    Path intents = Files.createDirectories(dir.resolve("intents"));
    Path stacks = Files.createDirectories(dir.resolve("stacks"));
    for (int i = 0; i < blocks.size(); i++) {
      Files.writeString(intents.resolve("example-" + i + ".yaml"), blocks.get(i));
      String stack = stackOf(blocks.get(i));
      if (!stack.isEmpty()) {
        Path folder = Files.createDirectories(stacks.resolve(stack));
        Files.writeString(folder.resolve("compose.yaml"), "services: {}\n");
      }
    }

    IntentLoader.Result loaded =
        new IntentLoader(IntentSchema.load(), new IntentRules(List.of(stacks), Set.of("local")))
            .load(List.of(intents), dir);

    assertThat(blocks).hasSizeGreaterThanOrEqualTo(IntentsReference.Examples.BY_ACTION.size() + 2);
    assertThat(loaded.problems().stream().map(Problem::format)).isEmpty();
    assertThat(loaded.catalog().size()).isEqualTo(blocks.size());
  }

  private static String stackOf(String yaml) {
    Matcher stack = Pattern.compile("(?m)^stack: (\\S+)$").matcher(yaml);
    return stack.find() ? stack.group(1) : "";
  }

  @Test
  void everyFieldOfTheSchemaHasItsSection() throws IOException {
    JsonNode schema = schema();
    String page = IntentsReference.render(schema);

    for (Map.Entry<String, JsonNode> field : schema.path("properties").properties()) {
      assertThat(page).contains("### `" + field.getKey() + "`");
      for (Map.Entry<String, JsonNode> inner : field.getValue().path("properties").properties()) {
        assertThat(page).contains("#### `" + field.getKey() + "." + inner.getKey() + "`");
      }
    }
    for (JsonNode action : schema.path("properties").path("action").path("enum")) {
      assertThat(page).contains("| `" + action.asString() + "` |");
    }
  }

  @Test
  void theFactsOnThePageFollowTheSchema() throws IOException {
    String page = IntentsReference.render(schema());

    assertThat(page)
        .contains(
            "| `scale` | `name`, `action`, `stack`, `service`, `replicas` |",
            """
                #### `rollout.timeout`

                A duration such as 90s, 5m or 1h30m (1 second to 6 hours).

                - required: no
                - type: string
                - default: `5m`
                """,
            "- default: `local`",
            "- one of `snapshot`, `suspend`, `stop`",
            "- 0 to 100 (integer)",
            "- references may stand for: `service`, `replicas`, `services[]`, `rollout.pull`",
            "| `max_length` | integer | no | default: `128`; 1 to 1024 |",
            "| `minimum` | integer | yes |");
  }

  @Test
  void aChangedSchemaChangesThePage() throws IOException {
    JsonNode original = schema();
    String before = IntentsReference.render(original);

    JsonNode newDefault = original.deepCopy();
    ((ObjectNode) newDefault.path("properties").path("rollout").path("properties").path("timeout"))
        .put("default", "10m");
    JsonNode newAction = original.deepCopy();
    ((ArrayNode) newAction.path("properties").path("action").path("enum")).add("migrate");
    JsonNode newBound = original.deepCopy();
    ((ObjectNode) newBound.path("properties").path("replicas")).put("maximum", 200);

    assertThat(IntentsReference.render(newDefault)).isNotEqualTo(before).contains("`10m`");
    assertThat(IntentsReference.render(newAction)).isNotEqualTo(before).contains("| `migrate` |");
    assertThat(IntentsReference.render(newBound)).isNotEqualTo(before).contains("0 to 200");
  }
}
