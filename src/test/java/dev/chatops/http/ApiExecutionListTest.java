package dev.chatops.http;

import static dev.chatops.http.ApiStatusTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.ObjectMapper;

/** {@code GET /api/v1/executions}: the key's scope filters before the limit; cursor paging. */
class ApiExecutionListTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern NEXT = Pattern.compile("<([^>]+)>; rel=\"next\"");

  @TempDir Path tmp;
  ApiFixture api;
  String all;
  String restarts;

  @BeforeEach
  void setUp() throws IOException {
    api =
        new ApiFixture(
            tmp,
            "security: {ip_allowlist: [127.0.0.1/32, \"::1/128\"], rate_limit: {per_key: 1000/min, per_ip: 1000/min}}");
    all = api.key("all", List.of(), false, Optional.empty());
    restarts = api.key("restarts", List.of("restart-*"), false, Optional.empty());
  }

  @AfterEach
  void tearDown() {
    api.close();
  }

  private void dryRuns(String intent, int count) {
    for (int i = 0; i < count; i++) {
      HttpResponse<String> response =
          api.trigger(
              intent, "{\"dry_run\":true,\"labels\":[\"deploy-approved\"]}", "X-API-Key", all);
      assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    }
  }

  private HttpResponse<String> list(String pathAndQuery, String key) {
    return api.send(api.request(pathAndQuery).header("X-API-Key", key).GET().build());
  }

  private static List<String> intents(HttpResponse<String> response) {
    List<String> intents = new ArrayList<>();
    JSON.readTree(response.body()).forEach(node -> intents.add(node.path("intent").asString()));
    return intents;
  }

  private static Optional<String> next(HttpResponse<String> response) {
    return response
        .headers()
        .firstValue("Link")
        .map(NEXT::matcher)
        .filter(Matcher::find)
        .map(matcher -> matcher.group(1));
  }

  @Test
  void aScopedKeyGetsAFullPageOfWhatItMaySeeHoweverManyNewerItMayNot() {
    dryRuns("restart-web", 5);
    dryRuns("scale-web", 10);

    HttpResponse<String> first = list("/api/v1/executions?limit=3", restarts);

    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
    assertThat(intents(first)).containsExactly("restart-web", "restart-web", "restart-web");
    HttpResponse<String> second = list(next(first).orElseThrow(), restarts);
    assertThat(intents(second)).containsExactly("restart-web", "restart-web");
    assertThat(next(second)).isEmpty();
  }

  @Test
  void followingTheCursorVisitsEveryExecutionOnceWhileNewOnesArrive() {
    dryRuns("restart-web", 3);
    dryRuns("restart-db", 4);
    List<String> seen = new ArrayList<>();

    HttpResponse<String> page = list("/api/v1/executions?limit=2", all);
    JSON.readTree(page.body()).forEach(node -> seen.add(node.path("id").asString()));
    dryRuns("restart-web", 2); // newer than the first page: never in the pages that follow
    while (next(page).isPresent()) {
      page = list(next(page).get(), all);
      JSON.readTree(page.body()).forEach(node -> seen.add(node.path("id").asString()));
    }

    assertThat(seen).hasSize(7).doesNotHaveDuplicates();
  }

  @Test
  void aCursorThatThisServiceDidNotGiveIs400() {
    for (String cursor :
        List.of("nope!", "bm90LWEtY3Vyc29y", "A".repeat(300), "OTk5OTk5OTk5OTk5OTk5OTk5OTk6eA")) {
      assertProblem(list("/api/v1/executions?cursor=" + cursor, all), 400);
    }
  }
}
