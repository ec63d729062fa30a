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
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Requests that Jetty refuses itself, before the gate or any route runs, are answered as problem
 * documents, never as Jetty's HTML page; and where each kind of bad request is answered. Raw
 * sockets: a client library would normalise or refuse to send these requests.
 *
 * <ul>
 *   <li>The HTTP parser (no handler runs; {@link ProblemErrorHandler} answers, and Jetty closes the
 *       connection): a request line it cannot read, even plain garbage; {@code %00} or a bad
 *       percent-encoding in the path; a URI too long (414); a header section too large (431); no
 *       Host; a bad or doubled Content-Length; an unknown HTTP version (505).
 *   <li>The gate ({@link GateHandler}), then Javalin's routes: ambiguous paths ({@code ..%2F},
 *       {@code %2E%2E}, {@code a/../b}, {@code %2F}, {@code %5C}) and unknown methods. Jetty does
 *       not refuse these here: without a key the gate answers 401, with one the routes answer 404
 *       or 405 (the path never names a file, and an id such as {@code ../x} is only ever looked
 *       up), and the connection stays open.
 * </ul>
 */
class JettyRefusalProblemTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String LONG = "a".repeat(20_000);

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

  /** A whole response and whether the server closed the connection after it. */
  private record Answer(String head, String body, boolean closed) {
    int status() {
      return Integer.parseInt(head.substring(9, 12));
    }
  }

  private Answer send(String request) throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), api.port())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      Answer answer = read(in);
      // Closed: the next read ends at once. Open: the server answers a second request on it.
      socket.setSoTimeout(2_000);
      boolean closed;
      try {
        out.write("GET /health HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        closed = in.read() < 0;
      } catch (IOException e) {
        closed = true;
      }
      return new Answer(answer.head(), answer.body(), closed);
    }
  }

  private static Answer read(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("the connection closed before a whole response head: " + head);
      }
      head.write(b);
    }
    String text = head.toString(StandardCharsets.ISO_8859_1);
    int length =
        text.lines()
            .filter(line -> line.toLowerCase(Locale.ROOT).startsWith("content-length:"))
            .map(line -> Integer.parseInt(line.substring(15).strip()))
            .findFirst()
            .orElseThrow(() -> new IOException("no Content-Length: " + text));
    String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
    return new Answer(text, body, false);
  }

  private static JsonNode assertProblem(Answer answer, int status) {
    assertThat(answer.status()).as(answer.head()).isEqualTo(status);
    assertThat(answer.head())
        .containsIgnoringCase("Content-Type: application/problem+json")
        .doesNotContainIgnoringCase("\r\nServer:")
        .doesNotContainIgnoringCase("text/html");
    assertThat(answer.body()).doesNotContainIgnoringCase("<html").doesNotContain("\tat ");
    JsonNode problem = JSON.readTree(answer.body());
    assertThat(problem.get("type").asString()).isEqualTo("about:blank");
    assertThat(problem.get("status").asInt()).isEqualTo(status);
    assertThat(problem.get("title").asString()).isNotBlank();
    assertThat(problem.get("detail").asString()).isNotBlank();
    assertThat(problem.get("request_id").asString()).isNotBlank();
    return problem;
  }

  private static String get(String target, String headers) {
    return "GET " + target + " HTTP/1.1\r\nHost: a\r\n" + headers + "\r\n";
  }

  static Stream<Arguments> parserRefusals() {
    return Stream.of(
        Arguments.of("NUL in the path", get("/api/v1/executions/a%00b", ""), 400),
        Arguments.of("bad percent-encoding", get("/api/v1/executions/%ZZ", ""), 400),
        Arguments.of("URI too long", get("/api/v1/executions/" + LONG + LONG + LONG, ""), 414),
        Arguments.of("header too large", get("/api/v1/executions", "X-Big: " + LONG + "\r\n"), 431),
        Arguments.of("bad Content-Length", get("/api/v1/executions", "Content-Length: x\r\n"), 400),
        Arguments.of(
            "Content-Length and chunked",
            get("/api/v1/executions", "Transfer-Encoding: chunked\r\nContent-Length: 3\r\n"),
            400),
        Arguments.of("no Host", "GET /api/v1/executions HTTP/1.1\r\n\r\n", 400),
        Arguments.of("unknown version", "GET /api/v1/executions HTTP/9.9\r\nHost: a\r\n\r\n", 505),
        Arguments.of("garbage request line", "garbage\r\n\r\n", 400),
        Arguments.of("control bytes", "\u0001\u0002\u0003\r\n\r\n", 400));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("parserRefusals")
  void aRequestTheParserRefusesIsAProblemAndTheConnectionCloses(
      String name, String request, int status) throws IOException {
    Answer answer = send(request);

    JsonNode problem = assertProblem(answer, status);
    assertThat(problem.get("detail").asString())
        .startsWith("the request was refused before it reached the API");
    assertThat(answer.closed()).as("connection closed").isTrue();
  }

  @Test
  void aLongPathIsCutInTheProblem() throws IOException {
    String path = "/api/v1/executions/" + "\"<b>".repeat(100);
    Answer answer = send(get(path, "X-Big: " + LONG + "\r\n"));

    JsonNode problem = assertProblem(answer, 431);
    String instance = problem.get("instance").asString();
    assertThat(instance).hasSize(Problems.MAX_PATH + 1).endsWith("…");
    assertThat(path).startsWith(instance.substring(0, Problems.MAX_PATH));
  }

  @Test
  void aLongUnknownPathIsCutInTheRoutesProblemToo() throws IOException {
    String key = api.key("reader", List.of("*"), false, Optional.empty());
    String path = "/api/v1/" + "x".repeat(4_000);

    JsonNode problem = assertProblem(send(get(path, "X-API-Key: " + key + "\r\n")), 404);

    assertThat(problem.get("instance").asString())
        .hasSize(Problems.MAX_PATH + 1)
        .isEqualTo(path.substring(0, Problems.MAX_PATH) + "…");
    assertThat(problem.get("detail").asString())
        .isEqualTo("no such resource: " + path.substring(0, Problems.MAX_PATH) + "…");
  }

  static List<String> ambiguousPaths() {
    return List.of(
        "/api/v1/executions/..%2Fx",
        "/api/v1/executions/%2E%2E/x",
        "/api/v1/executions/%2e%2e%2fx",
        "/api/v1/executions/a/../b",
        "/api/v1/executions/a%2Fb",
        "/api/v1/executions/a%5Cb",
        "/api/v1/executions/a//b");
  }

  @ParameterizedTest
  @MethodSource("ambiguousPaths")
  void anAmbiguousPathWithoutAKeyIsRefusedAtTheGateAndTheConnectionKept(String path)
      throws IOException {
    Answer answer = send(get(path, ""));

    assertProblem(answer, 401);
    assertThat(answer.closed()).as("connection closed").isFalse();
  }

  @ParameterizedTest
  @MethodSource("ambiguousPaths")
  void anAmbiguousPathWithAKeyFindsNothingAndTheConnectionIsKept(String path) throws IOException {
    String key = api.key("reader", List.of("*"), false, Optional.empty());
    Answer answer = send(get(path, "X-API-Key: " + key + "\r\n"));

    assertProblem(answer, 404);
    assertThat(answer.closed()).as("connection closed").isFalse();
  }

  @Test
  void anUnknownMethodIsAProblemFromTheRoutes() throws IOException {
    String key = api.key("reader", List.of("*"), false, Optional.empty());
    Answer answer =
        send("BREW /api/v1/executions HTTP/1.1\r\nHost: a\r\nX-API-Key: " + key + "\r\n\r\n");

    assertProblem(answer, 405);
    assertThat(answer.closed()).as("connection closed").isFalse();
  }
}
