package dev.chatops.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chatops.chat.ChatReply.Tone;
import dev.chatops.engine.Plan;
import dev.chatops.engine.Report;
import dev.chatops.engine.ReportJson;
import dev.chatops.engine.ReportStatus;
import dev.chatops.exec.Command;
import dev.chatops.exec.ProcessResult;
import dev.chatops.exec.StepRecord;
import dev.chatops.exec.compose.ComposeFlavour;
import dev.chatops.intent.Action.OnFailure;
import dev.chatops.store.ExecutionRecord;
import dev.chatops.store.ExecutionStatus;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Replies built from stored reports in the engine's own JSON shape ({@link ReportJson}). */
class RepliesTest {

  private static final Instant T0 = Instant.parse("2026-05-01T12:00:00Z");
  private final Replies replies = new Replies(Optional.of(URI.create("https://ops.example//")));

  private static StepRecord step(String title, int exit, String output) {
    return new StepRecord(
        title,
        List.of("docker", "compose", "-p", "web", "up", "-d"),
        ProcessResult.Ending.EXITED,
        exit,
        T0,
        T0.plusSeconds(2),
        output,
        false);
  }

  private static Report report(ReportStatus status, List<StepRecord> steps, List<Report> children) {
    return new Report(
        "deploy",
        "rollout",
        false,
        status,
        "summary",
        T0,
        T0.plusSeconds(3),
        steps,
        List.of(),
        children,
        Optional.empty());
  }

  private static ExecutionRecord execution(String id, ExecutionStatus status, Report report) {
    return new ExecutionRecord(
        id,
        "deploy",
        "rollout",
        report.dryRun(),
        status,
        "slack:U1",
        "198.51.100.4",
        Map.of("tag", "v2"),
        List.of(),
        Map.of(),
        T0,
        Optional.of(T0),
        Optional.of(T0.plusSeconds(3)),
        "the health check failed; rolled back",
        Optional.of(ReportJson.json(report).toString()));
  }

  @Test
  void anOutcomeShowsTheTailOfTheLastFailingStepOfAnyRun() {
    String output = "x".repeat(2_000) + "\nERROR: health check of app failed";
    Report child =
        report(
            ReportStatus.FAILED, List.of(step("pull", 0, "ok"), step("up", 1, output)), List.of());
    Report batch =
        report(ReportStatus.ROLLED_BACK, List.of(step("first", 3, "early")), List.of(child));

    ChatReply reply = replies.outcome(execution("ex 1/2", ExecutionStatus.ROLLED_BACK, batch));

    assertThat(reply.title()).isEqualTo("Rolled back: deploy");
    assertThat(reply.tone()).isEqualTo(Tone.WARNING);
    assertThat(reply.text()).isEqualTo("the health check failed; rolled back");
    assertThat(reply.code())
        .hasValueSatisfying(
            code ->
                assertThat(code)
                    .startsWith("...")
                    .endsWith("ERROR: health check of app failed")
                    .hasSize(Replies.MAX_OUTPUT + 3));
    assertThat(reply.link()).contains("https://ops.example/api/v1/executions/ex%201%2F2");
    assertThat(reply.fields())
        .contains(
            new ChatReply.Field("status", "rolled_back"),
            new ChatReply.Field("duration", "3 s"),
            new ChatReply.Field("params", "tag=v2"));
  }

  @Test
  void anOutputIsNeverCutInsideACharacter() {
    String output = "\uD83D\uDE80".repeat(600); // 1,200 chars of pairs

    // The tail of 500 chars starts at a pair's first half, or (an odd end) at its second.
    for (String text : List.of(output, output + "a")) {
      Report failed = report(ReportStatus.FAILED, List.of(step("up", 1, text)), List.of());
      String code =
          replies.outcome(execution("ex-1", ExecutionStatus.FAILED, failed)).code().orElseThrow();

      assertThat(Character.isLowSurrogate(code.charAt(3))).isFalse();
      assertThat(code.codePoints().allMatch(c -> c == '.' || c == 'a' || c == 0x1F680)).isTrue();
    }
  }

  @Test
  void aSuccessShowsNoOutputAndAnUnreadableReportNone() {
    Report ok = report(ReportStatus.SUCCEEDED, List.of(step("up", 0, "done")), List.of());
    ExecutionRecord broken =
        execution("ex-2", ExecutionStatus.FAILED, ok)
            .with(
                ExecutionStatus.FAILED,
                Optional.of(T0),
                Optional.of(T0),
                "failed",
                Optional.of("{not json"));

    assertThat(replies.outcome(execution("ex-1", ExecutionStatus.SUCCEEDED, ok)).code()).isEmpty();
    assertThat(replies.outcome(broken).code()).isEmpty();
    assertThat(replies.outcome(broken).title()).isEqualTo("Failed: deploy");
  }

  @Test
  void aPlanListsEachStepWithItsQuotedArgvAndCutsALongOne() {
    List<Plan.Step> steps = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      steps.add(
          Plan.Step.run("step " + i, new Command(List.of("docker", "compose", "echo", "a b"))));
    }
    Plan web =
        new Plan.StackPlan(
            "web",
            "rollout",
            "local",
            "web",
            Path.of("/s/web/compose.yaml"),
            ComposeFlavour.PLUGIN,
            Map.of(),
            steps,
            List.of());
    Plan batch = new Plan.BatchPlan("all", false, OnFailure.STOP, List.of(web));
    Report dry =
        new Report(
            "all",
            "batch",
            true,
            ReportStatus.SUCCEEDED,
            "dry run: the plan is valid",
            T0,
            T0,
            List.of(),
            List.of(),
            List.of(),
            Optional.of(batch));

    ChatReply reply = replies.plan(execution("ex-1", ExecutionStatus.SUCCEEDED, dry));

    assertThat(reply.title()).isEqualTo("Plan: deploy");
    List<String> lines = reply.code().orElseThrow().lines().toList();
    assertThat(lines).hasSize(Replies.MAX_PLAN_STEPS + 1);
    assertThat(lines.getFirst()).isEqualTo("web: step 0: docker compose echo 'a b'");
    assertThat(lines.getLast()).isEqualTo("... and 4 more step(s)");
  }
}
