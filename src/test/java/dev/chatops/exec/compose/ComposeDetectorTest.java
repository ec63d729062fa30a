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
}
