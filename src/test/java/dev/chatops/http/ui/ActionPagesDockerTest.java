package dev.chatops.http.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chatops.store.ExecutionRecord;
import dev.chatops.store.ExecutionStatus;
import dev.chatops.testing.DockerEngine;
import dev.chatops.testing.ExampleStacks;
import dev.chatops.testing.LiveService;
import dev.chatops.testing.RequiresDocker;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard's actions on the real Docker engine, with the example media stack running: a live
 * run from the intent's form, an approval by a second user that starts one, and the stacks page
 * read from the engine (and from one that never answers).
 */
@RequiresDocker
class ActionPagesDockerTest {

  @TempDir Path tmp;
  ExampleStacks stacks;
  String project;
  ServerSocket silent;
  final List<Socket> held = new ArrayList<>();
  LiveService live;

  @BeforeAll
  static void engine() {
    DockerEngine.require();
  }

  @BeforeEach
  void setUp() throws Exception {
    stacks = new ExampleStacks(tmp);
    project = stacks.copy("stack-media");
    stacks.up(project);
    // An "engine" that accepts connections and never answers.
    silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofVirtual()
        .start(
            () -> {
              try {
                while (true) {
                  Socket socket = silent.accept();
                  synchronized (held) {
                    held.add(socket);
                  }
                }
              } catch (java.io.IOException closed) {
                // the test ended
              }
            });
    String intents =
        """
        name: restart-plex
        action: restart
        stack: %1$s
        service: plex
        ---
        name: guarded-plex
        action: restart
        stack: %1$s
        service: plex
        require: {approvals: 1}
        ---
        name: restart-far
        action: restart
        host: dead
        stack: %1$s
        """
            .formatted(project);
    live =
        new LiveService(
            tmp,
            "hosts: {dead: {docker: \"tcp://127.0.0.1:" + silent.getLocalPort() + "\"}}",
            Map.of(),
            intents,
            List.of(),
            UnaryOperator.identity());
  }

  @AfterEach
  void tearDown() throws Exception {
    if (live != null) {
      live.close();
    }
    silent.close();
    synchronized (held) {
      for (Socket socket : held) {
        socket.close();
      }
    }
    stacks.close();
  }

  private ExecutionRecord ended(String id) {
    return Awaitility.await()
        .atMost(Duration.ofMinutes(2))
        .until(() -> live.store.executions().find(id).orElseThrow(), ExecutionRecord::ended);
  }

  private static String executionId(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(303);
    String location = response.headers().firstValue("Location").orElseThrow();
    assertThat(location).startsWith("/ui/executions/");
    return location.substring("/ui/executions/".length());
  }

  @Test
  void aLiveRunFromTheFormRestartsTheStack() {
    SignedIn alice = SignedIn.admin(live, "alice");
    ExecutionRecord execution = ended(executionId(alice.post("/ui/intents/restart-plex/run")));
    assertThat(execution.dryRun()).isFalse();
    assertThat(execution.status()).as(execution.summary()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(execution.report())
        .hasValueSatisfying(report -> assertThat(report).contains("restart"));
  }

  @Test
  void anApprovalByASecondUserStartsTheRun() {
    SignedIn ci = SignedIn.admin(live, "ci");
    SignedIn bob = SignedIn.as(live, "bob", List.of(), List.of("*"), false);
    String id = executionId(ci.post("/ui/intents/guarded-plex/run"));
    assertThat(ci.post("/ui/executions/" + id + "/approve").statusCode()).isEqualTo(403);
    assertThat(live.store.executions().find(id).orElseThrow().status())
        .isEqualTo(ExecutionStatus.PENDING_APPROVAL);
    HttpResponse<String> approved = bob.post("/ui/executions/" + id + "/approve", "comment", "ok");
    assertThat(approved.statusCode()).as(approved.body()).isEqualTo(303);
    ExecutionRecord execution = ended(id);
    assertThat(execution.status()).as(execution.summary()).isEqualTo(ExecutionStatus.SUCCEEDED);
  }

  @Test
  void showsTheServicesOfEachHostAndAnErrorLineForADeadEngine() {
    SignedIn alice = SignedIn.admin(live, "alice");
    long start = System.nanoTime();
    HttpResponse<String> page = alice.get("/ui/stacks");
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(page.statusCode()).isEqualTo(200);
    String body = page.body();
    assertThat(body)
        .contains("<h2 id=\"host-local\">Host local</h2>")
        .contains(project)
        .contains("restart-plex, guarded-plex")
        .contains(
            "<th scope=\"row\">plex</th>",
            "<th scope=\"row\">sonarr</th>",
            "<th scope=\"row\">radarr</th>")
        .contains("1/1 running")
        .contains("chatops-example/app:1")
        .contains("<h2 id=\"host-dead\">Host dead</h2>")
        .contains(
            "Cannot read this host's engine: cannot list the containers of "
                + project
                + " on dead");
    assertThat(body.substring(body.indexOf("id=\"host-local\"")))
        .containsPattern("status-(succeeded|running)\">(healthy|starting)")
        .doesNotContain("class=\"error\"");
    // The dead engine costs its timeout (3 s), not the page's whole answer.
    assertThat(took).isLessThan(Duration.ofSeconds(8));
    // Read again within a few seconds: the reads are reused, the dead engine is not asked again.
    long again = System.nanoTime();
    assertThat(alice.get("/ui/stacks").body()).contains("1/1 running");
    assertThat(Duration.ofNanos(System.nanoTime() - again)).isLessThan(Duration.ofSeconds(2));
  }
}
