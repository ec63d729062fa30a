package dev.chatops.release;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chatops.release.ReleaseCheckout.Ran;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * {@code scripts/release.sh --no-image --skip-build} on the jar and SBOM this build packaged: the
 * copies, the SBOM's content, SHA256SUMS and its check, and the refusals. The image path is {@link
 * ReleaseImageIT}'s.
 */
class ReleaseIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;
  ReleaseCheckout checkout;
  Path out;
  String version;

  @BeforeEach
  void checkout() throws Exception {
    checkout = ReleaseCheckout.create(tmp);
    out = tmp.resolve("out");
    version = ReleaseCheckout.version();
  }

  @Test
  void publishesTheJarAndItsSbomWithSumsThatVerify() throws Exception {
    Ran ran = checkout.release("--no-image", "--skip-build", out.toString());

    assertThat(ran.status()).as(ran.out()).isZero();
    String jar = "chatops-" + version + ".jar";
    String sbom = "chatops-" + version + ".cdx.json";
    try (Stream<Path> files = Files.list(out)) {
      assertThat(files.map(file -> file.getFileName().toString()))
          .containsExactlyInAnyOrder(jar, sbom, "SHA256SUMS");
    }
    assertThat(out.resolve(jar))
        .hasSameBinaryContentAs(ReleaseCheckout.PROJECT.resolve("target/chatops.jar"));
    assertThat(Files.readAllLines(out.resolve("SHA256SUMS")))
        .containsExactly(
            sha256(out.resolve(jar)) + "  " + jar, sha256(out.resolve(sbom)) + "  " + sbom);
    Ran check = ReleaseCheckout.run(List.of("sha256sum", "--check", "--strict", "SHA256SUMS"), out);
    assertThat(check.status()).as(check.out()).isZero();
    assertThat(ran.out())
        .contains("ChatOps " + version + " (commit ", "uncommitted changes: no", jar, sbom);
  }

  @Test
  void theSbomNamesTheShippedDependenciesWithHashesAndNoTestOnes() throws Exception {
    Ran ran = checkout.release("--no-image", "--skip-build", out.toString());
    assertThat(ran.status()).as(ran.out()).isZero();

    JsonNode bom = JSON.readTree(Files.readString(out.resolve("chatops-" + version + ".cdx.json")));

    assertThat(bom.path("bomFormat").asString()).isEqualTo("CycloneDX");
    assertThat(bom.path("specVersion").asString()).isEqualTo("1.6");
    assertThat(bom.path("metadata").path("component").path("purl").asString())
        .isEqualTo("pkg:maven/dev.chatops/chatops@" + version + "?type=jar");
    List<String> purls = new ArrayList<>();
    for (JsonNode component : bom.path("components")) {
      purls.add(component.path("purl").asString());
      List<String> sha256 = new ArrayList<>();
      for (JsonNode hash : component.path("hashes")) {
        if (hash.path("alg").asString().equals("SHA-256")) {
          sha256.add(hash.path("content").asString());
        }
      }
      assertThat(sha256)
          .as(component.path("purl").asString())
          .singleElement()
          .asString()
          .matches("[0-9a-f]{64}");
    }
    assertThat(purls)
        .anyMatch(purl -> purl.startsWith("pkg:maven/io.javalin/javalin@"))
        .anyMatch(purl -> purl.startsWith("pkg:maven/tools.jackson.core/jackson-databind@"))
        .anyMatch(purl -> purl.startsWith("pkg:maven/org.xerial/sqlite-jdbc@"))
        .anyMatch(purl -> purl.startsWith("pkg:maven/org.snakeyaml/snakeyaml-engine@"))
        .anyMatch(purl -> purl.startsWith("pkg:maven/com.zaxxer/HikariCP@"))
        .anyMatch(purl -> purl.startsWith("pkg:maven/info.picocli/picocli@"))
        .noneMatch(purl -> purl.contains("/org.junit"))
        .noneMatch(purl -> purl.contains("/org.assertj/"))
        .noneMatch(purl -> purl.contains("/org.awaitility/"))
        .noneMatch(purl -> purl.contains("/org.openjdk.jmh/"))
        .noneMatch(purl -> purl.contains("errorprone"));
  }

  @Test
  void aChangedArtefactFailsTheCheckOfItsSum() throws Exception {
    Ran ran = checkout.release("--no-image", "--skip-build", out.toString());
    assertThat(ran.status()).as(ran.out()).isZero();
    Path jar = out.resolve("chatops-" + version + ".jar");
    byte[] bytes = Files.readAllBytes(jar);
    bytes[bytes.length / 2] ^= 1;
    Files.write(jar, bytes);

    Ran check = ReleaseCheckout.run(List.of("sha256sum", "--check", "SHA256SUMS"), out);

    assertThat(check.status()).isNotZero();
    assertThat(check.out()).contains("chatops-" + version + ".jar: FAILED");
  }

  @Test
  void refusesATreeWithUncommittedChangesUnlessAllowed() throws Exception {
    Files.writeString(
        checkout.root.resolve("pom.xml"),
        "<!-- edited -->\n",
        java.nio.file.StandardOpenOption.APPEND);

    Ran refused = checkout.release("--no-image", "--skip-build", out.toString());

    assertThat(refused.status()).as(refused.out()).isEqualTo(2);
    assertThat(refused.out()).contains("uncommitted changes", "pom.xml");
    assertThat(out).doesNotExist();

    Ran allowed = checkout.release("--no-image", "--skip-build", "--allow-dirty", out.toString());

    assertThat(allowed.status()).as(allowed.out()).isZero();
    assertThat(allowed.out()).contains("uncommitted changes: yes");
  }

  @Test
  void refusesAnUntrackedFileToo() throws Exception {
    Files.writeString(checkout.root.resolve("notes.txt"), "not committed\n");

    Ran refused = checkout.release("--no-image", "--skip-build", out.toString());

    assertThat(refused.status()).as(refused.out()).isEqualTo(2);
    assertThat(refused.out()).contains("notes.txt");
  }

  @Test
  void refusesAnOutputFolderThatHoldsSomething() throws Exception {
    Files.createDirectories(out);
    Files.writeString(out.resolve("chatops-0.0.1.jar"), "an older release");

    Ran refused = checkout.release("--no-image", "--skip-build", out.toString());

    assertThat(refused.status()).as(refused.out()).isEqualTo(2);
    assertThat(refused.out()).contains("is not empty");
    try (Stream<Path> files = Files.list(out)) {
      assertThat(files).hasSize(1);
    }
  }

  @Test
  void refusesAJarOfAnotherVersionThanThePom() throws Exception {
    Path pom = checkout.root.resolve("pom.xml");
    Files.writeString(
        pom,
        Files.readString(pom)
            .replaceFirst("<version>" + version + "</version>", "<version>9.9.9</version>"));
    checkout.commit("a version the jar does not have");

    Ran refused = checkout.release("--no-image", "--skip-build", out.toString());

    assertThat(refused.status()).as(refused.out()).isEqualTo(2);
    assertThat(refused.out()).contains("the pom says 9.9.9: rebuild");
    assertThat(out).doesNotExist();
  }

  @Test
  void refusesAnSbomOlderThanTheJar() throws Exception {
    Path sbom = checkout.root.resolve("target/chatops.cdx.json");
    Files.delete(sbom);
    Files.copy(ReleaseCheckout.PROJECT.resolve("target/chatops.cdx.json"), sbom);
    Files.setLastModifiedTime(sbom, FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));

    Ran refused = checkout.release("--no-image", "--skip-build", out.toString());

    assertThat(refused.status()).as(refused.out()).isEqualTo(2);
    assertThat(refused.out()).contains("is older than");
    assertThat(out).doesNotExist();
  }

  @Test
  void refusesTheImageWithoutADockerfileBeforeBuildingAnything() throws Exception {
    Ran refused = checkout.release("--skip-build", out.toString());

    assertThat(refused.status()).as(refused.out()).isEqualTo(2);
    assertThat(refused.out()).contains("no Dockerfile", "--no-image");
    assertThat(out).doesNotExist();
  }

  @Test
  void refusesUnknownOptionsAndMalformedBuildArguments() throws Exception {
    assertThat(checkout.release("--sign", out.toString()).status()).isEqualTo(2);
    Ran badArg = checkout.release("--build-arg", "NOVALUE", "--no-image", out.toString());
    assertThat(badArg.status()).isEqualTo(2);
    assertThat(badArg.out()).contains("KEY=VALUE");
    assertThat(checkout.release("--no-image").status()).isEqualTo(2);
    assertThat(out).doesNotExist();
  }

  static String sha256(Path file) throws IOException, NoSuchAlgorithmException {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }
}
