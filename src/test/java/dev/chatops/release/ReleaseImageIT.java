package dev.chatops.release;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chatops.release.ReleaseCheckout.Ran;
import dev.chatops.testing.RequiresDocker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image path of {@code scripts/release.sh} on the real engine: {@code docker build} with the
 * given build arguments, {@code docker save | gzip}, the tar in SHA256SUMS. The project's
 * Dockerfile needs base images that {@code scripts/image-bases.sh} makes (ImageIT builds it); here
 * a stand-in Dockerfile {@code FROM scratch} holding the jar keeps the run to seconds and needs no
 * registry, so what is checked is the script, not the image's content.
 */
@RequiresDocker
class ReleaseImageIT {

  @TempDir Path tmp;
  String imageName = "chatops-release-it-" + ProcessHandle.current().pid();

  @AfterEach
  void removeImage() throws Exception {
    ReleaseCheckout.run(
        List.of("docker", "image", "rm", "--force", imageName + ":" + ReleaseCheckout.version()),
        tmp);
  }

  @Test
  void buildsTheImageWithTheBuildArgumentsAndSumsItsSavedTar() throws Exception {
    ReleaseCheckout checkout = ReleaseCheckout.create(tmp);
    Files.writeString(
        checkout.root.resolve("Dockerfile"),
        """
        FROM scratch
        ARG RUNTIME_IMAGE=public-default
        LABEL dev.chatops.release-it.runtime-image=$RUNTIME_IMAGE
        COPY pom.xml /opt/chatops/pom.xml
        """);
    checkout.commit("stand-in Dockerfile");
    String version = ReleaseCheckout.version();
    Path out = tmp.resolve("out");

    Ran ran =
        checkout.release(
            "--skip-build",
            "--build-arg",
            "RUNTIME_IMAGE=local/runtime:test",
            "--image-name",
            imageName,
            out.toString());

    assertThat(ran.status()).as(ran.out()).isZero();
    String tar = "chatops-" + version + "-image.tar.gz";
    assertThat(Files.readAllLines(out.resolve("SHA256SUMS")))
        .hasSize(3)
        .contains(ReleaseIT.sha256(out.resolve(tar)) + "  " + tar);
    Ran label =
        ReleaseCheckout.run(
            List.of(
                "docker",
                "image",
                "inspect",
                "--format",
                "{{ index .Config.Labels \"dev.chatops.release-it.runtime-image\" }}",
                imageName + ":" + version),
            tmp);
    assertThat(label.out().strip()).isEqualTo("local/runtime:test");
    Ran listing = ReleaseCheckout.run(List.of("tar", "--list", "--gzip", "--file", tar), out);
    assertThat(listing.status()).as(listing.out()).isZero();
    assertThat(listing.out()).contains("manifest.json");
    assertThat(ran.out()).contains("image tagged " + imageName + ":" + version);
  }
}
