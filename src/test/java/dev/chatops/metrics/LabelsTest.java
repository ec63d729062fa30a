package dev.chatops.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LabelsTest {

  @Test
  void everyAuditDenialReasonMapsToOneOfTheBoundedReasons() {
    assertThat(Labels.denial("auth_failure")).isEqualTo("auth");
    assertThat(Labels.denial("forbidden")).isEqualTo("auth");
    assertThat(Labels.denial("ip_denied")).isEqualTo("source");
    assertThat(Labels.denial("label_mismatch")).isEqualTo("label");
    assertThat(Labels.denial("caller_labels_forbidden")).isEqualTo("label");
    assertThat(Labels.denial("scope")).isEqualTo("scope");
    assertThat(Labels.denial("unknown_intent")).isEqualTo("scope");
    assertThat(Labels.denial("dry_run_only")).isEqualTo("scope");
    assertThat(Labels.denial("approval_scope")).isEqualTo("scope");
    assertThat(Labels.denial("approval_requester")).isEqualTo("scope");
    assertThat(Labels.denial("rate_limited")).isEqualTo("rate_limit");
    assertThat(Labels.denial("bad_signature")).isEqualTo("signature");
    assertThat(Labels.denial("invalid_params")).isEqualTo("parameters");
    for (String other : List.of("bad_request", "keys_unavailable", "approval_unknown", "", "*")) {
      assertThat(Labels.denial(other)).as(other).isEqualTo("other");
    }
  }

  @Test
  void aStepIsCountedByItsComposeOrDockerVerbNeverByAnOptionsValue() {
    assertThat(
            Labels.step(
                List.of(
                    "docker",
                    "compose",
                    "--project-name",
                    "web",
                    "--file",
                    "/s/compose.yaml",
                    "up",
                    "--detach",
                    "--wait")))
        .isEqualTo("up");
    assertThat(
            Labels.step(List.of("docker-compose", "--project-name", "up", "--file", "f", "pull")))
        .isEqualTo("pull");
    assertThat(Labels.step(List.of("docker", "image", "tag", "a", "b"))).isEqualTo("tag");
    assertThat(Labels.step(List.of("docker", "container", "inspect", "x"))).isEqualTo("inspect");
    assertThat(Labels.step(List.of("docker", "ps", "--filter", "label=x"))).isEqualTo("ps");
    assertThat(Labels.step(List.of("docker", "--host=unix:///x", "rmi", "i"))).isEqualTo("rmi");
    assertThat(Labels.step(List.of("vzdump", "100"))).isEqualTo("other");
    assertThat(Labels.step(List.of("up"))).isEqualTo("other"); // the program is not a verb
    assertThat(Labels.step(List.of())).isEqualTo("other");
  }

  @Test
  void actionsAndNamesOutsideTheKnownOnesAreOther() {
    for (String action : Labels.ACTIONS) {
      assertThat(Labels.action(action)).isEqualTo(action);
    }
    assertThat(Labels.action("deploy")).isEqualTo("other");
    assertThat(Labels.known(Set.of("web"), "web")).isEqualTo("web");
    assertThat(Labels.known(Set.of("web"), "<script>")).isEqualTo("other");
  }
}
