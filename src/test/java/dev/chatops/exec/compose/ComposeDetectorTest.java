package dev.chatops.exec.compose;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ComposeDetectorTest {

  @TempDir Path tmp;

  private Path executable(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, "#!/bin/sh\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    return file;
  }

  @Test
  void prefersTheV2PluginWhenTheDockerCliHasIt() throws IOException {
    executable(tmp.resolve("bin/docker"));
    executable(tmp.resolve("bin/docker-compose"));
    executable(tmp.resolve("home/.docker/cli-plugins/docker-compose"));

    var detector =
        new ComposeDetector(
            Map.of("PATH", tmp.resolve("bin").toString(), "HOME", tmp.resolve("home").toString()),
            List.of());

    assertThat(detector.detect()).contains(ComposeFlavour.PLUGIN);
  }

  @Test
  void fallsBackToTheStandaloneProgram() throws IOException {
    executable(tmp.resolve("bin/docker"));
    executable(tmp.resolve("bin/docker-compose"));

    var detector =
        new ComposeDetector(
            Map.of("PATH", tmp.resolve("bin").toString()), List.of(tmp.resolve("none")));

    assertThat(detector.detect()).contains(ComposeFlavour.STANDALONE);
  }

  @Test
  void findsNothingWhereNothingIsInstalled() throws IOException {
    executable(tmp.resolve("elsewhere/docker-compose"));

    var detector = new ComposeDetector(Map.of("PATH", tmp.resolve("bin").toString()), List.of());

    assertThat(detector.detect()).isEmpty();
  }

  @Test
  void findsThePluginInTheFolderDockerConfigNamesInsteadOfHome() throws IOException {
    executable(tmp.resolve("bin/docker"));
    executable(tmp.resolve("bin/docker-compose"));
    executable(tmp.resolve("config/cli-plugins/docker-compose"));
    Path home = Files.createDirectories(tmp.resolve("home"));
    Map<String, String> base = Map.of("PATH", tmp.resolve("bin").toString());

    var withConfig =
        new ComposeDetector(
            Map.of(
                "PATH",
                tmp.resolve("bin").toString(),
                "HOME",
                home.toString(),
                "DOCKER_CONFIG",
                tmp.resolve("config").toString()),
            List.of());
    var homeOnly =
        new ComposeDetector(
            Map.of("PATH", base.get("PATH"), "HOME", tmp.resolve("config").toString()), List.of());

    assertThat(withConfig.detect()).contains(ComposeFlavour.PLUGIN);
    assertThat(homeOnly.detect())
        .as("HOME/.docker, not HOME, holds the plugins when DOCKER_CONFIG is unset")
        .contains(ComposeFlavour.STANDALONE);
  }

  @Test
  void aSetDockerConfigHidesThePluginsOfHomeAsInTheDockerCli() throws IOException {
    executable(tmp.resolve("bin/docker"));
    executable(tmp.resolve("bin/docker-compose"));
    executable(tmp.resolve("home/.docker/cli-plugins/docker-compose"));
    Files.createDirectories(tmp.resolve("config"));
    String path = tmp.resolve("bin").toString();
    String home = tmp.resolve("home").toString();

    assertThat(
            new ComposeDetector(
                    Map.of(
                        "PATH",
                        path,
                        "HOME",
                        home,
                        "DOCKER_CONFIG",
                        tmp.resolve("config").toString()),
                    List.of())
                .detect())
        .contains(ComposeFlavour.STANDALONE);
    assertThat(
            new ComposeDetector(
                    Map.of("PATH", path, "HOME", home, "DOCKER_CONFIG", "relative/config"),
                    List.of())
                .detect())
        .as("a relative DOCKER_CONFIG is read from each command's own folder, never HOME")
        .contains(ComposeFlavour.STANDALONE);
    assertThat(
            new ComposeDetector(Map.of("PATH", path, "HOME", home, "DOCKER_CONFIG", ""), List.of())
                .detect())
        .as("an empty DOCKER_CONFIG counts as unset")
        .contains(ComposeFlavour.PLUGIN);
  }

  @Test
  void findsThePluginInTheExtraFoldersOfTheCliConfig() throws IOException {
    executable(tmp.resolve("bin/docker"));
    executable(tmp.resolve("bin/docker-compose"));
    executable(tmp.resolve("extra/docker-compose"));
    Path config = Files.createDirectories(tmp.resolve("config"));
    Map<String, String> environment =
        Map.of("PATH", tmp.resolve("bin").toString(), "DOCKER_CONFIG", config.toString());

    Files.writeString(
        config.resolve("config.json"),
        "{\"cliPluginsExtraDirs\": [\"relative\", \"" + tmp.resolve("extra") + "\"]}");
    assertThat(new ComposeDetector(environment, List.of()).detect())
        .contains(ComposeFlavour.PLUGIN);

    Files.writeString(config.resolve("config.json"), "{not json");
    assertThat(new ComposeDetector(environment, List.of()).detect())
        .as("an unreadable config.json adds no folder")
        .contains(ComposeFlavour.STANDALONE);
  }
}
