package dev.chatops.exec.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The argv of the rollback's Docker and Compose calls, and the names they refuse. */
class DockerCommandsTest {

  private final DockerCommands docker = new DockerCommands(Map.of());

  @Test
  void rollbackNamesAreListedByPrefixAndRemovedOneByOneWithoutForce() {
    assertThat(docker.imageNames("chatops-rollback/shop-").argv())
        .containsExactly(
            "docker",
            "image",
            "ls",
            "--filter",
            "reference=chatops-rollback/shop-*",
            "--format",
            "{{.Repository}}:{{.Tag}}");
    assertThat(docker.untag("chatops-rollback/shop-web:aaaaaaaaaaaa").argv())
        .containsExactly("docker", "image", "rm", "chatops-rollback/shop-web:aaaaaaaaaaaa");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "--force",
        "-f",
        "chatops-rollback/shop-web",
        "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "a b:c",
        "x:y\n--force"
      })
  void removingSomethingOtherThanANameWithATagIsRefused(String name) {
    assertThatThrownBy(() -> docker.untag(name)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aPrefixThatCouldBeReadAsAnOptionIsRefused() {
    assertThatThrownBy(() -> docker.imageNames("--all"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aRecordedDefinitionIsBroughtUpInPlaceOfTheProjectFileWithItsOverride() {
    ComposeCommands compose =
        new ComposeCommands(
            ComposeFlavour.PLUGIN, "shop", Path.of("/srv/shop/compose.yaml"), Map.of());

    assertThat(
            compose
                .restoring(Path.of("/tmp/r/restore.yaml"), Path.of("/tmp/o/override.yaml"))
                .up(List.of("web"), new TreeMap<>(), Optional.empty())
                .argv())
        .containsExactly(
            "docker",
            "compose",
            "--project-name",
            "shop",
            "--file",
            "/tmp/r/restore.yaml",
            "--file",
            "/tmp/o/override.yaml",
            "up",
            "--detach",
            "web");
  }
}
