package dev.chatops.github;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chatops.config.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GithubSignatureTest {

  /** GitHub's published vector (../shared/fixtures/SIGNATURES.md). */
  private static final GithubSignature VECTOR =
      new GithubSignature(Secret.of("It's a Secret to Everybody"));

  private static final byte[] HELLO = "Hello, World!".getBytes(StandardCharsets.UTF_8);
  private static final String HEADER =
      "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

  @Test
  void signsGithubsPublishedVector() {
    assertThat(VECTOR.sign(HELLO)).isEqualTo(HEADER);
  }

  @Test
  void verifiesGithubsPublishedVectorInEitherCase() {
    assertThat(VECTOR.verifies(Optional.of(HEADER), HELLO)).isTrue();
    assertThat(
            VECTOR.verifies(
                Optional.of("sha256=" + HEADER.substring(7).toUpperCase(Locale.ROOT)), HELLO))
        .isTrue();
  }

  @Test
  void refusesAnotherBodyAnotherSecretOrNoHeader() {
    assertThat(
            VECTOR.verifies(Optional.of(HEADER), "Hello, World?".getBytes(StandardCharsets.UTF_8)))
        .isFalse();
    assertThat(new GithubSignature(Secret.of("another")).verifies(Optional.of(HEADER), HELLO))
        .isFalse();
    assertThat(VECTOR.verifies(Optional.empty(), HELLO)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
        "SHA256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
        "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e1",
        "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e1700",
        "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e1g",
        "sha256= 757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
        "sha1=0123456789012345678901234567890123456789",
        "sha256=",
        ""
      })
  void refusesHeadersOutOfShape(String header) {
    assertThat(VECTOR.verifies(Optional.of(header), HELLO)).isFalse();
  }

  @Test
  void showsNoSecret() {
    assertThat(VECTOR.toString()).doesNotContain("Secret to Everybody");
  }
}
