package dev.chatops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chatops.config.ChatOpsConfig;
import dev.chatops.config.ConfigLoader;
import dev.chatops.config.ConfigResult;
import dev.chatops.config.GithubSection;
import dev.chatops.config.Secret;
import dev.chatops.intent.IntentCatalog;
import dev.chatops.intent.IntentLoader;
import dev.chatops.intent.IntentRules;
import dev.chatops.intent.IntentSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GitHub rules checked against the intents before the service starts. */
class IntegrationCheckTest {

  @TempDir Path dir;

  private ChatOpsConfig config;
  private IntentCatalog catalog;

  private void load() throws Exception {
    Path stacks = Files.createDirectories(dir.resolve("stacks/media"));
    Files.writeString(stacks.resolve("compose.yaml"), "services: {app: {image: busybox}}\n");
    Path intents = Files.createDirectories(dir.resolve("intents"));
    Files.writeString(
        intents.resolve("media.yaml"),
        """
        name: scale-media
        action: scale
        stack: media
        service: app
        replicas: "{{ n }}"
        params:
          n: {type: integer, minimum: 1, maximum: 3}
        """);
    Path file = dir.resolve("chatops.yaml");
    Files.writeString(file, "intents: {dir: ./intents}\nstacks: {roots: [./stacks]}\n");
    config =
        ((ConfigResult.Loaded) new ConfigLoader(Map.of(), dir).load(Optional.of(file))).config();
    IntentLoader.Result loaded =
        new IntentLoader(
                IntentSchema.load(),
                new IntentRules(config.stacks().roots(), config.hosts().keySet()))
            .load(List.of(intents), dir);
    assertThat(loaded.problems()).isEmpty();
    catalog = loaded.catalog();
  }

  private ChatOpsConfig withRules(GithubSection.Rule... rules) {
    return new ChatOpsConfig(
        config.server(),
        config.intents(),
        config.stacks(),
        config.hosts(),
        config.docker(),
        config.execution(),
        config.security(),
        config.store(),
        config.notifyChannels(),
        config.metrics(),
        config.ui(),
        Optional.of(
            new GithubSection(
                Secret.of("test-secret"), List.of(rules), Optional.empty(), List.of())),
        Optional.empty(),
        Optional.empty());
  }

  private static GithubSection.Rule rule(List<String> intents, Map<String, String> params) {
    return new GithubSection.Rule("o/r", "main", List.of(), intents, params);
  }

  @Test
  void rulesThatNameKnownIntentsWithFittingParametersPass() throws Exception {
    load();
    assertThat(IntegrationCheck.problems(config, catalog)).isEmpty();
    assertThat(
            IntegrationCheck.problems(
                withRules(rule(List.of("scale-media"), Map.of("n", "2"))), catalog))
        .isEmpty();
  }

  @Test
  void anUnknownIntentAndParametersThatDoNotFitAreNamedByTheirKey() throws Exception {
    load();
    List<String> problems =
        IntegrationCheck.problems(
            withRules(
                rule(List.of("scale-media"), Map.of("n", "2")),
                rule(List.of("scale-media", "rollout-media"), Map.of("n", "9"))),
            catalog);
    assertThat(problems)
        .hasSize(2)
        .anySatisfy(
            line ->
                assertThat(line)
                    .startsWith("github.rules[1].params do not fit intent scale-media")
                    .contains("n"))
        .contains("github.rules[1].intents[1]: no intent named 'rollout-media'");
  }
}
