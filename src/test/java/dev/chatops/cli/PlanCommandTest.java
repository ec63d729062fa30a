package dev.chatops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

class PlanCommandTest {

  @TempDir Path tmp;
  Path dir;
  CliRunner cli;

  @BeforeEach
  void setUp() throws IOException {
    dir = tmp.toRealPath();
    Files.createDirectories(dir.resolve("stacks/web"));
    Files.writeString(dir.resolve("stacks/web/compose.yaml"), "services: {}\n");
    Files.createDirectories(dir.resolve("intents"));
    Files.writeString(
        dir.resolve("chatops.yaml"),
        "intents: {dir: ./intents}\nstacks: {roots: [./stacks]}\ndocker: {compose: standalone}\n");
    Files.writeString(
        dir.resolve("intents/scale.yaml"),
        """
        name: scale-web
        action: scale
        stack: web
        service: app
        replicas: "{{ n }}"
        params:
          n: {type: integer, minimum: 1, maximum: 3, default: 1}
        """);
    cli = new CliRunner(Map.of(), dir);
  }

  @Test
  void printsTheExactCommandItWouldRun() {
    CliRunner.Outcome outcome = cli.run("plan", "scale-web", "--param", "n=3");

    assertThat(outcome.status()).isZero();
    assertThat(outcome.out())
        .contains("intent scale-web: scale stack web on host local with docker-compose")
        .contains(
            "$ DOCKER_HOST=unix:///var/run/docker.sock docker-compose --project-name web --file "
                + dir.resolve("stacks/web/compose.yaml")
                + " up --detach --no-deps --no-recreate --scale app=3 app");
  }

  @Test
  void plansForTheOtherFlavourOnRequest() throws IOException {
    CliRunner.Outcome outcome =
        cli.run("plan", "scale-web", "--compose", "plugin", "--format", "json");

    assertThat(outcome.status()).isZero();
    JsonNode plan = new ObjectMapper().readTree(outcome.out());
    assertThat(plan.path("dry_run").asBoolean()).isTrue();
    assertThat(plan.path("status").asString()).isEqualTo("succeeded");
    assertThat(plan.path("plan").path("compose").asString()).isEqualTo("plugin");
    assertThat(plan.path("plan").path("params").path("n").asInt()).isEqualTo(1);
    assertThat(plan.path("plan").path("steps").path(0).path("argv").path(1).asString())
        .isEqualTo("compose");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"plan", "run"})
  void refusesAnUnknownFormatAsAUsageErrorNamingTheAllowedOnes(String command) {
    CliRunner.Outcome outcome = cli.run(command, "scale-web", "--format", "xml");

    assertThat(outcome.status()).isEqualTo(2);
    assertThat(outcome.out()).isEmpty();
    assertThat(outcome.err()).contains("--format").contains("[text, json]").contains("'xml'");
  }

  @Test
  void refusesAnOutOfBoundsParameterWithExitOne() {
    CliRunner.Outcome outcome = cli.run("plan", "scale-web", "--param", "n=7");

    assertThat(outcome.status()).isEqualTo(1);
    assertThat(outcome.out()).isEmpty();
    assertThat(outcome.err()).contains("invalid parameters: n: must be between 1 and 3 (got 7)");
  }

  @Test
  void refusesAMalformedOrRepeatedParamAsUsage() {
    assertThat(cli.run("plan", "scale-web", "--param", "n").status()).isEqualTo(2);
    CliRunner.Outcome repeated = cli.run("plan", "scale-web", "-p", "n=1", "-p", "n=2");
    assertThat(repeated.status()).isEqualTo(2);
    assertThat(repeated.err()).contains("--param n is given more than once");
  }

  @Test
  void anUnknownIntentIsAUsageErrorListingTheKnownOnes() {
    CliRunner.Outcome outcome = cli.run("plan", "scale-db");

    assertThat(outcome.status()).isEqualTo(2);
    assertThat(outcome.err()).contains("no intent named 'scale-db'").contains("known: scale-web");
  }

  @Test
  void refusesToPlanWhileAnyIntentIsInvalid() throws IOException {
    Files.writeString(dir.resolve("intents/broken.yaml"), "name: b\naction: restart\n");

    CliRunner.Outcome outcome = cli.run("plan", "scale-web");

    assertThat(outcome.status()).isEqualTo(1);
    assertThat(outcome.err())
        .contains("intents/broken.yaml:2:9: error: stack: is required for action restart");
  }
}
