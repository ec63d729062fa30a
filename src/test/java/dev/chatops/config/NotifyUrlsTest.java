package dev.chatops.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Short URLs resolved to each service's full address, and full addresses checked, with refusals
 * that never repeat the address: it holds a token.
 */
class NotifyUrlsTest {

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          discord://123456789012345678/Ab_c-9          | https://discord.com/api/webhooks/123456789012345678/Ab_c-9
          DISCORD://1/t                                | https://discord.com/api/webhooks/1/t
          slack://T0123ABCD/B0456EFGH/xYz0123456789    | https://hooks.slack.com/services/T0123ABCD/B0456EFGH/xYz0123456789
          ntfy://ntfy.sh/deploys                       | https://ntfy.sh/deploys
          ntfy://ntfy.example.org:8443/deploys_1       | https://ntfy.example.org:8443/deploys_1
          gotify://gotify.lan/AbC.def-1                | https://gotify.lan
          gotify://[::1]:8080/tok                      | https://[::1]:8080
          generic://hooks.example.org/in/chatops       | https://hooks.example.org/in/chatops
          generic://hooks.example.org:9000             | https://hooks.example.org:9000/
          generic://10.0.0.5/h?team=ops&x=%2F          | https://10.0.0.5/h?team=ops&x=%2F
          """)
  void shortUrlsBecomeTheServicesHttpsAddress(String written, String full) {
    NotifyChannel.Type type = NotifyUrls.shortType(written).orElseThrow();

    assertThat(NotifyUrls.resolveShort(type, written).url()).isEqualTo(full);
  }

  @Test
  void aMatrixShortUrlCarriesTheTokenAndTheRoomPercentEncodedOrRaw() {
    NotifyUrls.Resolved encoded =
        NotifyUrls.resolveShort(
            NotifyChannel.Type.MATRIX,
            "matrix://syt_YWxpY2U_token%2Bx@matrix.example.org:8448/%21abc%3Aexample.org");
    NotifyUrls.Resolved raw =
        NotifyUrls.resolveShort(
            NotifyChannel.Type.MATRIX, "matrix://tok@matrix.example.org/!abc:example.org");

    assertThat(encoded.url()).isEqualTo("https://matrix.example.org:8448");
    assertThat(encoded.token()).contains("syt_YWxpY2U_token+x");
    assertThat(encoded.room()).contains("!abc:example.org");
    assertThat(raw.room()).contains("!abc:example.org");
    assertThat(raw.url()).isEqualTo("https://matrix.example.org");
    // MatrixFormat sends to a room id; an alias would need a lookup first.
    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                NotifyUrls.resolveShort(
                    NotifyChannel.Type.MATRIX, "matrix://tok@m.org/%23ops%3Am.org"))
        .withMessageContaining("an alias (#room:server) must be resolved to its id first");
  }

  @Test
  void anNtfyShortUrlMayCarryAToken() {
    assertThat(
            NotifyUrls.resolveShort(NotifyChannel.Type.NTFY, "ntfy://tk_secret@ntfy.sh/t").token())
        .contains("tk_secret");
    assertThat(NotifyUrls.resolveShort(NotifyChannel.Type.NTFY, "ntfy://ntfy.sh/t").token())
        .isEmpty();
    assertThat(NotifyUrls.resolveShort(NotifyChannel.Type.GOTIFY, "gotify://g.lan/AppTok").token())
        .contains("AppTok");
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          discord://SECRET/SECRET                     | not a Discord webhook address (discord://ID/TOKEN)
          discord://1/SECRET/extra                    | not a Discord webhook address (discord://ID/TOKEN)
          discord://1/SECRET?wait=true                | not a Discord webhook address (discord://ID/TOKEN)
          discord://1/SEC RET                         | not a Discord webhook address (discord://ID/TOKEN)
          slack://SECRET                              | not a Slack webhook address (slack://T.../B.../X...)
          slack://T1/B2/SECRET#frag                   | not a Slack webhook address (slack://T.../B.../X...)
          matrix://SECRET@host                        | not a Matrix address (matrix://TOKEN@HOST[:PORT]/ROOM)
          matrix://SECRET@host/SECRETroom             | the room of a Matrix short URL must be a room id (%21id%3Aserver), percent-encoded or not; an alias (#room:server) must be resolved to its id first
          matrix://SECRET%zz@host/%21a%3Ab            | not a Matrix address (matrix://TOKEN@HOST[:PORT]/ROOM): a % must start an escape (%XX)
          matrix://SECRET%ff@host/%21a%3Ab            | not a Matrix address (matrix://TOKEN@HOST[:PORT]/ROOM): its escapes are not UTF-8
          matrix://SECRET%20x@host/%21a%3Ab           | the token of a matrix short URL must be printable ASCII without spaces
          ntfy://SECRET@host/top/ic                   | not an ntfy address (ntfy://[TOKEN@]HOST[:PORT]/TOPIC)
          ntfy://host:0/SECRET                        | the port must be from 1 to 65535
          ntfy://host:99999/SECRET                    | the port must be from 1 to 65535
          gotify://host/                              | not a Gotify address (gotify://HOST[:PORT]/APPTOKEN)
          gotify://ho_st/SECRET                       | not a Gotify address (gotify://HOST[:PORT]/APPTOKEN)
          gotify://[zz::1]/SECRET                     | not a Gotify address (gotify://HOST[:PORT]/APPTOKEN)
          generic://user:SECRET@host/p                | not a generic webhook address (generic://HOST[:PORT]/PATH)
          generic://host/SECRET#x                     | not a generic webhook address (generic://HOST[:PORT]/PATH)
          generic://host/SE CRET                      | not a generic webhook address (generic://HOST[:PORT]/PATH)
          """)
  void badShortUrlsAreRefusedWithTheirShapeNeverTheirText(String written, String message) {
    NotifyChannel.Type type = NotifyUrls.shortType(written).orElseThrow();

    assertThatIllegalArgumentException()
        .isThrownBy(() -> NotifyUrls.resolveShort(type, written))
        .withMessage(message)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("SECRET"));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          discord | https://discord.com/api/webhooks/1/t   | false | https://discord.com/api/webhooks/1/t
          discord | HTTPS://Discord.com/api/webhooks/1/t   | false | https://Discord.com/api/webhooks/1/t
          matrix  | https://matrix.example.org/            | false | https://matrix.example.org
          gotify  | https://example.org/gotify//           | false | https://example.org/gotify
          generic | https://h.example/in?team=ops          | false | https://h.example/in?team=ops
          slack   | http://127.0.0.1:8080/services/x       | false | http://127.0.0.1:8080/services/x
          slack   | http://127.9.9.9/x                     | false | http://127.9.9.9/x
          ntfy    | http://localhost:2586/t                | false | http://localhost:2586/t
          ntfy    | http://[::1]:2586/t                    | false | http://[::1]:2586/t
          ntfy    | http://ntfy.lan/t                      | true  | http://ntfy.lan/t
          """)
  void fullAddressesAreKept(String type, String written, boolean allowHttp, String full) {
    assertThat(NotifyUrls.checkFull(type(type), written, allowHttp)).isEqualTo(full);
  }

  @ParameterizedTest(name = "[{index}] {0} {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          discord | http://discord.example/api/webhooks/1/SECRET | false | plain http:// is only allowed to a loopback address (127.0.0.0/8, ::1, localhost); use https://, or set allow_http: true to send in clear
          discord | http://128.0.0.1/SECRET                      | false | plain http:// is only allowed to a loopback address (127.0.0.0/8, ::1, localhost); use https://, or set allow_http: true to send in clear
          discord | http://localhost.evil.example/SECRET         | false | plain http:// is only allowed to a loopback address (127.0.0.0/8, ::1, localhost); use https://, or set allow_http: true to send in clear
          discord | http://u:SECRET@localhost/x                  | true  | must not hold credentials (user:password@): give a token in token_file
          ntfy    | https://SECRET@ntfy.sh/t                     | false | must not hold credentials (user:password@): give a token in token_file
          discord | https://discord.com/api/webhooks/1/SECRET?wait=true | false | discord addresses take no query string (?...)
          slack   | https://hooks.slack.com/services/SECRET#x    | false | takes no fragment (#...)
          slack   | https://hooks.slack.com                      | false | slack addresses name the webhook or topic: they need a path
          ntfy    | https://ntfy.sh/                             | false | ntfy addresses name the webhook or topic: they need a path
          generic | https://h/a/../SECRET                        | false | must not hold . or .. path segments
          generic | https://h:70000/SECRET                       | false | the port must be from 1 to 65535
          generic | https://under_score/SECRET                   | false | has no valid host name
          generic | https://h/SE CRET                            | false | is not a valid address
          generic | ftp://h/SECRET                               | false | must be an https:// address
          """)
  void badFullAddressesAreRefusedWithoutTheirText(
      String type, String written, boolean allowHttp, String message) {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> NotifyUrls.checkFull(type(type), written, allowHttp))
        .withMessage(message)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("SECRET"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"https://x", "http://x", "HTTPS://x"})
  void fullAddressesAreRecognisedByTheirScheme(String written) {
    assertThat(NotifyUrls.isFull(written)).isTrue();
    assertThat(NotifyUrls.shortType(written)).isEmpty();
  }

  @Test
  void otherSchemesAreNeitherShortNorFull() {
    assertThat(NotifyUrls.shortType("telegram://x/y")).isEmpty();
    assertThat(NotifyUrls.isFull("telegram://x/y")).isFalse();
    assertThat(NotifyUrls.shortType("discord:/1/t")).isEmpty();
  }

  @Test
  void matrixRoomsAreIdsNotAliases() {
    assertThat(NotifyUrls.isRoom("!abc:example.org")).isTrue();
    assertThat(NotifyUrls.isRoom("!ops:example.org:8448")).isTrue();
    assertThat(NotifyUrls.isRoom("#ops:example.org")).isFalse();
    assertThat(NotifyUrls.isRoom("abc:example.org")).isFalse();
    assertThat(NotifyUrls.isRoom("!abc")).isFalse();
    assertThat(NotifyUrls.isRoom("!a b:example.org")).isFalse();
  }

  private static NotifyChannel.Type type(String key) {
    for (NotifyChannel.Type type : NotifyChannel.Type.values()) {
      if (type.key().equals(key)) {
        return type;
      }
    }
    return Optional.<NotifyChannel.Type>empty().orElseThrow();
  }
}
