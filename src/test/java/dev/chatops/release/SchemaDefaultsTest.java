package dev.chatops.release;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chatops.intent.Action;
import dev.chatops.intent.Intent;
import dev.chatops.intent.IntentLoader;
import dev.chatops.intent.IntentRules;
import dev.chatops.intent.IntentSchema;
import dev.chatops.intent.Param;
import dev.chatops.intent.Value;
import dev.chatops.yaml.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Each {@code default} the intent schema announces (and docs/INTENTS.md prints) is what the binder
 * gives an intent that leaves the field out. The schema's defaults are annotations: the validator
 * ignores them, so only this test keeps them true.
 */
class SchemaDefaultsTest {

  @TempDir static Path dir;
  static JsonNode schema;
  static Intent rollout;
  static Intent backup;
  static Intent batch;

  @BeforeAll
  static void loadIntentsThatLeaveEveryDefaultOut() throws IOException {
    schema = new ObjectMapper().readTree(Files.readString(Path.of(IntentsReference.SCHEMA_PATH)));
    Path intents = Files.createDirectories(dir.resolve("intents"));
    Path stacks = Files.createDirectories(dir.resolve("stacks"));
    Files.createDirectories(stacks.resolve("web"));
    Files.writeString(stacks.resolve("web/compose.yaml"), "services: {}\n");
    Files.writeString(
        intents.resolve("defaults.yaml"),
        """
        name: roll-web
        action: rollout
        stack: web
        services: ["{{ service }}"]
        params:
          service: {type: string, pattern: "^[a-z]+$"}
        ---
        name: back-up-vm
        action: backup
        backup: {node: pve, vmid: 101, storage: pbs}
        ---
        name: both
        action: batch
        steps: [back-up-vm]
        """);
    IntentLoader.Result loaded =
        new IntentLoader(IntentSchema.load(), new IntentRules(List.of(stacks), Set.of("local")))
            .load(List.of(intents), dir);
    assertThat(loaded.problems().stream().map(Problem::format)).isEmpty();
    rollout = loaded.catalog().find("roll-web").orElseThrow();
    backup = loaded.catalog().find("back-up-vm").orElseThrow();
    batch = loaded.catalog().find("both").orElseThrow();
  }

  private static JsonNode defaultOf(String pointer) {
    JsonNode node = schema.at(pointer).path("default");
    assertThat(node.isMissingNode()).as("the schema gives %s a default", pointer).isFalse();
    return node;
  }

  @Test
  void hostAndApprovals() {
    assertThat(rollout.host()).isEqualTo(defaultOf("/properties/host").asString());
    assertThat(rollout.require().approvals())
        .isEqualTo(defaultOf("/properties/require/properties/approvals").asInt());
  }

  @Test
  void rolloutOptions() {
    Action.RolloutOptions options = ((Action.Rollout) rollout.action()).options();
    String base = "/properties/rollout/properties/";

    assertThat(options.pull()).isEqualTo(Value.of(defaultOf(base + "pull").asBoolean()));
    assertThat(options.waitHealthy()).isEqualTo(defaultOf(base + "wait_healthy").asBoolean());
    assertThat(options.timeout())
        .isEqualTo(
            Duration.parse(
                "PT" + defaultOf(base + "timeout").asString().toUpperCase(java.util.Locale.ROOT)));
    assertThat(options.rollbackOnFailure())
        .isEqualTo(defaultOf(base + "rollback_on_failure").asBoolean());
  }

  @Test
  void backupMode() {
    assertThat(((Action.Backup) backup.action()).mode().keyword())
        .isEqualTo(defaultOf("/properties/backup/properties/mode").asString());
  }

  @Test
  void batchParallelismAndFailure() {
    Action.Batch steps = (Action.Batch) batch.action();

    assertThat(steps.parallel()).isEqualTo(defaultOf("/properties/parallel").asBoolean());
    assertThat(steps.onFailure().keyword())
        .isEqualTo(defaultOf("/properties/on_failure").asString());
  }

  @Test
  void stringParameterLength() {
    Param.StringParam service = (Param.StringParam) rollout.params().get("service");

    assertThat(service.maxLength())
        .isEqualTo(defaultOf("/$defs/param/allOf/1/then/properties/max_length").asInt());
  }
}
