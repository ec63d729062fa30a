package dev.chatops.http.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chatops.policy.Principal;
import dev.chatops.store.ExecutionRecord;
import dev.chatops.store.ExecutionStatus;
import dev.chatops.testing.LiveService;
import dev.chatops.testing.StoredExecutions;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The executions pages on a real server and store: what a session sees, filters, pages, log. */
class ExecutionPagesTest {

  static final String SCRIPT = "<script>alert(1)</script>";
  static final String IMG = "\"><img src=x onerror=alert(1)>";
  private static final Instant T0 = Instant.parse("2026-11-01T08:00:00Z");
  private static final Pattern ROW = Pattern.compile("href=\"/ui/executions/(ex-[0-9a-z-]+)\"");

  @TempDir Path tmp;

  @Test
  void listsWhatTheKeySeesNewestFirstInPagesByCursor() throws Exception {
    try (LiveService live = new LiveService(tmp, "", Map.of())) {
      for (int i = 0; i < 60; i++) {
        store(live, "ex-a-" + i, "restart-a", ExecutionStatus.SUCCEEDED, "deployer", i);
      }
      for (int i = 0; i < 5; i++) {
        store(live, "ex-l-" + i, "labelled", ExecutionStatus.SUCCEEDED, "deployer", 100 + i);
      }
      String cookie = signIn(live, "viewer", List.of("restart-a", "guarded"));

      HttpResponse<String> first = live.get("/ui/executions", "Cookie", cookie);
      assertThat(first.statusCode()).isEqualTo(200);
      assertThat(first.headers().firstValue("Content-Type"))
          .hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
      List<String> ids = ids(first.body());
      assertThat(ids).hasSize(ExecutionList.PAGE).startsWith("ex-a-59", "ex-a-58");
      assertThat(first.body()).doesNotContain("ex-l-").contains("rel=\"next\"");

      HttpResponse<String> second = live.get(next(first.body()), "Cookie", cookie);
      assertThat(ids(second.body()))
          .hasSize(10)
          .startsWith("ex-a-9")
          .endsWith("ex-a-0")
          .doesNotContainAnyElementsOf(ids);
      assertThat(second.body()).doesNotContain("rel=\"next\"").contains(">Newest</a>");
    }
  }

  @Test
  void filtersByIntentStackStatusAndActorAndRefusesBadValues() throws Exception {
    try (LiveService live = new LiveService(tmp, "", Map.of())) {
      store(live, "ex-1", "restart-a", ExecutionStatus.SUCCEEDED, "alice", 1);
      store(live, "ex-2", "restart-a", ExecutionStatus.FAILED, "bob", 2);
      store(live, "ex-3", "labelled", ExecutionStatus.FAILED, "alice", 3);
      store(live, "ex-4", "guarded", ExecutionStatus.DENIED, "github:carol", 4);
      String cookie = signIn(live, "viewer", List.of("*"));

      assertThat(ids(page(live, cookie, "?status=failed"))).containsExactly("ex-3", "ex-2");
      assertThat(ids(page(live, cookie, "?actor=alice"))).containsExactly("ex-3", "ex-1");
      assertThat(ids(page(live, cookie, "?stack=livea"))).containsExactly("ex-4", "ex-2", "ex-1");
      assertThat(ids(page(live, cookie, "?stack=liveb&status=failed"))).containsExactly("ex-3");
      assertThat(ids(page(live, cookie, "?intent=guarded"))).containsExactly("ex-4");
      assertThat(ids(page(live, cookie, "?stack=nowhere"))).isEmpty();
      assertThat(page(live, cookie, "?actor=github:carol")).contains(">github</td>");

      HttpResponse<String> bad = live.get("/ui/executions?status=sleeping", "Cookie", cookie);
      assertThat(bad.statusCode()).isEqualTo(400);
      assertThat(bad.body()).contains("status: not one of").doesNotContain("ex-1");
      HttpResponse<String> cursor =
          live.get("/ui/executions?cursor=" + "x".repeat(20), "Cookie", cookie);
      assertThat(cursor.statusCode()).isEqualTo(400);
      assertThat(cursor.body()).contains("cursor: not one this page gave");
    }
  }

  @Test
  void showsTheWholeExecutionAndOnlyToThoseWhoMaySeeIt() throws Exception {
    try (LiveService live = new LiveService(tmp, "", Map.of())) {
      ExecutionRecord execution =
          StoredExecutions.put(
              live.store,
              StoredExecutions.execution(
                  "ex-full",
                  "restart-a",
                  ExecutionStatus.ROLLED_BACK,
                  "deployer",
                  T0,
                  Map.of("tag", "v2"),
                  List.of("deploy-approved"),
                  Map.of("repo", "acme/infra", "pr", "42", "sha", "0123abc"),
                  "rolled back to app:v1",
                  Optional.of(report("restart done"))));
      String cookie = signIn(live, "viewer", List.of("restart-*"));

      String page = page(live, cookie, "/ex-full");
      assertThat(page)
          .contains("<h1>Execution <span class=\"mono\">ex-full</span></h1>")
          .contains("status-rolled_back", "rolled back to app:v1", "<h2>Rollback</h2>")
          .contains("v2", "deploy-approved", "acme/infra", "0123abc")
          .contains("docker compose -p livea restart", "exit code 0", "restart done")
          .contains("app:v1", "app:v2", "sha256:before", "sha256:after")
          .doesNotContain("sse-connect");
      assertThat(execution.ended()).isTrue();

      String other = signIn(live, "other", List.of("labelled"));
      assertThat(live.get("/ui/executions/ex-full", "Cookie", other).statusCode()).isEqualTo(404);
      assertThat(live.get("/ui/executions/ex-none", "Cookie", cookie).statusCode()).isEqualTo(404);
      HttpResponse<String> anonymous = live.get("/ui/executions/ex-full");
      assertThat(anonymous.statusCode()).isEqualTo(303);
      assertThat(anonymous.headers().firstValue("Location")).hasValue("/ui/login");
      assertThat(live.get("/ui/executions").statusCode()).isEqualTo(303);
    }
  }

  @Test
  void showsScriptAndMarkupInEveryFieldAsText() throws Exception {
    String intents =
        """
        name: restart-a
        action: restart
        stack: livea
        description: '%s'
        """
            .formatted(SCRIPT + IMG);
    try (LiveService live =
        new LiveService(
            tmp,
            "",
            Map.of(),
            intents,
            List.of("livea"),
            java.util.function.UnaryOperator.identity())) {
      StoredExecutions.put(
          live.store,
          StoredExecutions.execution(
              "ex-evil",
              "restart-a",
              ExecutionStatus.FAILED,
              "evil" + IMG + SCRIPT,
              T0,
              Map.of("tag", SCRIPT, "note", IMG),
              List.of(SCRIPT, IMG),
              Map.of("repo", IMG),
              "summary " + SCRIPT,
              Optional.of(report(SCRIPT + "\n" + IMG))));
      String cookie = signIn(live, "viewer", List.of("*"));

      for (String page : List.of(page(live, cookie, "/ex-evil"), page(live, cookie, ""))) {
        assertThat(page)
            .doesNotContain(SCRIPT, "<img")
            .contains("&lt;script&gt;alert(1)&lt;/script&gt;");
      }
      assertThat(page(live, cookie, "/ex-evil"))
          .contains("\"&gt;&lt;img src=x onerror=alert(1)&gt;")
          .contains("(&lt;script&gt;alert(1)&lt;/script&gt;\"&gt;&lt;img"); // the description
    }
  }

  @Test
  void streamsTheLogOfARunningExecutionAsEscapedFragmentsAndEnds() throws Exception {
    try (LiveService live = new LiveService(tmp, "", Map.of())) {
      store(live, "ex-run", "restart-a", ExecutionStatus.RUNNING, "deployer", 1);
      String cookie = signIn(live, "viewer", List.of("*"));
      assertThat(page(live, cookie, "/ex-run"))
          .contains("sse-connect=\"/ui/executions/ex-run/stream\"", "sse-close=\"end\"")
          .contains("sse-swap=\"line\"", "hx-swap=\"beforeend\"");

      var events = live.service.events();
      events.publish(
          "ex-run",
          "step",
          Map.of("intent", "restart-a", "title", "restart", "argv", List.of("docker", "compose")));
      events.publish(
          "ex-run",
          "output",
          Map.of("intent", "restart-a", "stream", "stdout", "line", SCRIPT + IMG));
      CompletableFuture<List<String>> lines = stream(live, cookie, "ex-run");
      events.publish(
          "ex-run",
          "step_end",
          Map.of("intent", "restart-a", "title", "restart", "exit_code", 0, "duration_ms", 1500));
      events.publish("ex-run", "end", Map.of("status", "succeeded", "summary", "restarted"));

      String stream = String.join("\n", lines.get(10, TimeUnit.SECONDS));
      assertThat(stream)
          .contains("event: line", "id: 1", "restart: docker compose")
          .contains("&lt;script&gt;alert(1)&lt;/script&gt;")
          .contains("restart ended, exit code 0 after 1.5 s")
          .contains("event: end", "status-succeeded", "hx-get=\"/ui/executions/ex-run\"")
          .doesNotContain(SCRIPT, "<img");
      assertThat(stream.indexOf("event: end")).isGreaterThan(stream.indexOf("exit code 0"));

      HttpResponse<String> anonymous =
          live.get("/ui/executions/ex-run/stream", "Accept", "text/event-stream");
      assertThat(anonymous.statusCode()).isEqualTo(403);
    }
  }

  /** A stream read to its end on another thread, once its response has started. */
  static CompletableFuture<List<String>> stream(LiveService live, String cookie, String id)
      throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(live.uri("/ui/executions/" + id + "/stream"))
            .header("Accept", "text/event-stream")
            .header("Cookie", cookie)
            .timeout(Duration.ofSeconds(10))
            .build();
    HttpResponse<java.util.stream.Stream<String>> response =
        HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofLines());
    assertThat(response.statusCode()).isEqualTo(200);
    return CompletableFuture.supplyAsync(() -> response.body().toList());
  }

  static String page(LiveService live, String cookie, String rest) {
    HttpResponse<String> response = live.get("/ui/executions" + rest, "Cookie", cookie);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return response.body();
  }

  /** A session of a new key named {@code name}: the {@code Cookie} header's value. */
  static String signIn(LiveService live, String name, List<String> intents) {
    StoredExecutions.key(live.store, name, intents);
    live.service.keys().refresh();
    Sessions.Opened opened =
        live.service
            .sessions()
            .open(new Principal(name, intents, List.of(), false, true), "127.0.0.1");
    return Dashboard.COOKIE + "=" + opened.cookie();
  }

  static ExecutionRecord store(
      LiveService live,
      String id,
      String intent,
      ExecutionStatus status,
      String actor,
      int minute) {
    return StoredExecutions.put(
        live.store,
        StoredExecutions.execution(
            id,
            intent,
            status,
            actor,
            T0.plus(Duration.ofMinutes(minute)),
            Map.of(),
            List.of(),
            Map.of(),
            status.key(),
            Optional.of("{}")));
  }

  static String report(String output) {
    return """
        {"intent":"restart-a","status":"rolled_back","summary":"restart","steps":[
         {"title":"restart","argv":["docker","compose","-p","livea","restart"],"ending":"exited",
          "exit_code":0,"duration_ms":1200,"output":%s,"output_truncated":false}],
         "changes":[{"service":"app","image_before":"app:v1","image_after":"app:v2",
          "repo_digests_before":["sha256:before"],"repo_digests_after":["sha256:after"],
          "replicas_before":1,"replicas_after":1,"note":""}],"children":[]}
        """
        .formatted(
            tools.jackson.databind.json.JsonMapper.builder().build().writeValueAsString(output));
  }

  private static List<String> ids(String html) {
    Matcher matcher = ROW.matcher(html);
    List<String> ids = new java.util.ArrayList<>();
    while (matcher.find()) {
      ids.add(matcher.group(1));
    }
    return ids;
  }

  private static String next(String html) {
    Matcher matcher = Pattern.compile("href=\"([^\"]+)\" rel=\"next\"").matcher(html);
    assertThat(matcher.find()).isTrue();
    return matcher.group(1).replace("&amp;", "&").replace("&#61;", "=");
  }
}
