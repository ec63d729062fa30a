package dev.chatops.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A refusal at the gate and the connection it came on: kept for the next request when the refused
 * request's body had arrived, closed (and said so) when the body was still on its way, so that a
 * client never sends its next request on a connection the server is about to close.
 */
class GateRefusalConnectionTest {

  private static final String BAD_KEY = "chk_" + "C".repeat(43);

  @TempDir Path tmp;
  ApiFixture api;

  @BeforeEach
  void setUp() throws IOException {
    api =
        new ApiFixture(
            tmp,
            "security: {rate_limit: {per_key: 1000/min, per_ip: 1000/min, auth_failures: 1000/min}}");
  }

  @AfterEach
  void tearDown() {
    api.close();
  }

  private static String post(int contentLength, String body) {
    return "POST /api/v1/intents/restart-web/executions HTTP/1.1\r\n"
        + "Host: 127.0.0.1\r\n"
        + "X-API-Key: "
        + BAD_KEY
        + "\r\n"
        + "Content-Type: application/json\r\n"
        + "Content-Length: "
        + contentLength
        + "\r\n\r\n"
        + body;
  }

  /** Reads one response: its head, then as many body bytes as its Content-Length says. */
  private static String response(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("the connection closed before a whole response head");
      }
      head.write(b);
    }
    String text = head.toString(StandardCharsets.ISO_8859_1);
    int length =
        text.lines()
            .filter(line -> line.toLowerCase(Locale.ROOT).startsWith("content-length:"))
            .map(line -> Integer.parseInt(line.substring(15).strip()))
            .findFirst()
            .orElse(0);
    in.readNBytes(length);
    return text;
  }

  @Test
  void aRefusalWhoseBodyHadArrivedKeepsTheConnectionForTheNextRequest() throws IOException {
    String body = "{\"dry_run\":true}";
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), api.port())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();

      out.write(post(body.length(), body).getBytes(StandardCharsets.UTF_8));
      out.flush();
      String first = response(in);
      out.write(post(body.length(), body).getBytes(StandardCharsets.UTF_8));
      out.flush();
      String second = response(in);

      assertThat(first).startsWith("HTTP/1.1 401").doesNotContainIgnoringCase("Connection: close");
      assertThat(second).startsWith("HTTP/1.1 401");
    }
  }

  @Test
  void aRefusalWhoseBodyIsStillOnItsWaySaysTheConnectionCloses() throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), api.port())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();

      out.write(post(1_000, "{\"dry_run\":").getBytes(StandardCharsets.UTF_8));
      out.flush();
      String refused = response(socket.getInputStream());

      assertThat(refused).startsWith("HTTP/1.1 401").containsIgnoringCase("Connection: close");
    }
  }
}
