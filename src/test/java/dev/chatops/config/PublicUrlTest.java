package dev.chatops.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code server.public_url}: where links in notifications point. */
class PublicUrlTest {

  @TempDir Path dir;
  ConfigFixture fixture;

  @BeforeEach
  void fixture() {
    fixture = new ConfigFixture(dir);
  }

  @Test
  void unsetMeansNoLinks() {
    assertThat(fixture.config("server: {port: 8080}\n").server().publicUrl()).isEmpty();
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          https://chatops.example.ts.net          | https://chatops.example.ts.net
          https://chatops.example.ts.net/         | https://chatops.example.ts.net
          HTTPS://Example.org:8443/chatops//      | https://Example.org:8443/chatops
          http://127.0.0.1:8080/                  | http://127.0.0.1:8080
          http://localhost:8080                   | http://localhost:8080
          http://[::1]:8080                       | http://[::1]:8080
          """)
  void anHttpsAddressOrALoopbackOneIsKeptWithoutItsTrailingSlash(String written, String kept) {
    ChatOpsConfig config = fixture.config("server:\n  public_url: \"" + written + "\"\n");

    assertThat(config.server().publicUrl()).contains(URI.create(kept));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          http://chatops.example.org    | must be an https:// address (plain http:// only to a loopback address: 127.0.0.0/8, ::1, localhost)
          https://u:pw-SECRET@example.org | must not hold credentials (user:password@): give a token in token_file
          https://example.org/?k=SECRET | takes no query string (?...)
          https://example.org/#SECRET   | takes no fragment (#...)
          /chatops                      | must be an https:// address
          chatops.example.org           | must be an https:// address
          ftp://example.org             | must be an https:// address
          https:/SECRET                 | has no valid host name
          """)
  void otherAddressesAreRefusedAtTheirValue(String written, String message) {
    assertThat(fixture.problems("server:\n  public_url: \"" + written + "\"\n"))
        .containsExactly("chatops.yaml:2:15: error: server.public_url: " + message);
  }

  @Test
  void theEnvironmentSetsItLikeAnyKey() {
    fixture.env("CHATOPS_SERVER_PUBLIC_URL", "https://ops.example.org/");

    assertThat(ConfigFixture.loaded(fixture.loadWithoutFile()).server().publicUrl())
        .contains(URI.create("https://ops.example.org"));
    assertThat(
            ConfigFixture.formatted(
                new ConfigFixture(dir)
                    .env("CHATOPS_SERVER_PUBLIC_URL", "http://ops.example.org")
                    .loadWithoutFile()))
        .singleElement()
        .asString()
        .startsWith("$CHATOPS_SERVER_PUBLIC_URL: error: server.public_url: must be an https://");
  }
}
