package dev.chatops.exec.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chatops.exec.Command;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class ComposeCommandsTest {

  private static final Path FILE = Path.of("/opt/stacks/web/compose.yaml");

  private static ComposeCommands compose(ComposeFlavour flavour) {
    return new ComposeCommands(
        flavour, "web", FILE, Map.of("DOCKER_HOST", "unix:///run/docker.sock"));
  }

  @Test
  void upKeepsScalesAndWaitsWithTheV2Plugin() {
    var scales = new TreeMap<String, Long>(Map.of("worker", 3L, "api", 2L));

    assertThat(
            compose(ComposeFlavour.PLUGIN)
                .up(List.of(), scales, Optional.of(Duration.ofSeconds(90)))
                .argv())
        .containsExactly(
            "docker",
            "compose",
            "--project-name",
            "web",
            "--file",
            FILE.toString(),
            "up",
            "--detach",
            "--scale",
            "api=2",
            "--scale",
            "worker=3",
            "--wait",
            "--wait-timeout",
            "90");
  }

  @Test
  void upWithTheStandaloneProgramLeavesWaitingToChatOps() {
    assertThat(
            compose(ComposeFlavour.STANDALONE)
                .up(List.of("web"), new TreeMap<>(), Optional.of(Duration.ofSeconds(90)))
                .argv())
        .containsExactly(
            "docker-compose",
            "--project-name",
            "web",
            "--file",
            FILE.toString(),
            "up",
            "--detach",
            "web");
  }

  @ParameterizedTest
  @EnumSource(ComposeFlavour.class)
  void everyCommandNamesItsProjectAndFileAndCarriesOnlyTheGivenEnvironment(ComposeFlavour flavour) {
    ComposeCommands compose = compose(flavour);
    for (var command :
        List.of(
            compose.containerIds(),
            compose.pull(List.of()),
            compose.scale("web", 1),
            compose.restart(Optional.empty()))) {
      assertThat(command.argv())
          .containsSubsequence("--project-name", "web", "--file", FILE.toString());
      assertThat(command.environment()).containsOnlyKeys("DOCKER_HOST");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"--rm", "-d", "web;ls", "web name", "", "a/b"})
  void refusesServiceNamesThatCouldBeReadAsSomethingElse(String service) {
    ComposeCommands compose = compose(ComposeFlavour.PLUGIN);

    assertThatThrownBy(() -> compose.scale(service, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> compose.restart(Optional.of(service)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> compose.pull(List.of(service)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void displayQuotesWordsAShellWouldSplit() {
    var command = new Command(List.of("docker-compose", "--file", "/opt/my stacks/it's.yaml"));

    assertThat(command.display()).isEqualTo("docker-compose --file '/opt/my stacks/it'\\''s.yaml'");
  }
}
