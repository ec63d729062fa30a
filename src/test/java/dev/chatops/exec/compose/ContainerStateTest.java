package dev.chatops.exec.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ContainerStateTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          Up 3 seconds (health: starting) | starting
          Up 2 minutes (healthy)          | healthy
          Up 9 seconds (unhealthy)        | unhealthy
          Up 5 hours                      |
          Exited (0) 2 seconds ago        |
          """)
  void readsHealthFromThePsStatusText(String status, String health) {
    assertThat(ContainerState.healthOf(status)).isEqualTo(Optional.ofNullable(health));
  }

  @Test
  void parsesPsLinesAndLeavesOneOffContainersOut() {
    String output =
        """
        abc\tp_web_1\tweb\t1\tapp:1\trunning\tUp 3 seconds (healthy)\thash1\t
        def\tp_web_run_1\tweb\t1\tapp:1\trunning\tUp 1 second\thash1\tTrue
        ghi\tp_db_1\tdb\t1\tdb:2\texited\tExited (1) 1 second ago\thash2\tFalse
        """;

    var containers = ContainerState.parseStatuses(output);

    assertThat(containers).extracting(ContainerState::name).containsExactly("p_web_1", "p_db_1");
    assertThat(containers.get(0).ready()).isTrue();
    assertThat(containers.get(1).failure()).contains("p_db_1 is exited");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          a tab in the service label     | abc\tp_web_1\twe\tb\t1\tapp:1\trunning\tUp 3 seconds\thash1\tFalse
          a tab in the config hash label | abc\tp_web_1\tweb\t1\tapp:1\trunning\tUp 3 seconds\tha\tsh\tFalse
          a line cut by a line break     | abc\tp_web_1\twe
          """)
  void refusesAPsLineWhoseFieldsCannotBeToldApart(String why, String line) {
    assertThatThrownBy(() -> ContainerState.parseStatuses(line))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("unexpected docker ps output");
  }

  @Test
  void refusesAnInspectLineWithATabInALabel() {
    String line = "abc\t/p_web_1\tweb\t1\tsha256:x\tapp:1\trunning\t\tha\tsh\tFalse";

    assertThatThrownBy(() -> ContainerState.parse(line))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("unexpected docker inspect output");
    assertThat(ContainerState.parse(line.replace("ha\tsh", "hash"))).hasSize(1);
  }

  @Test
  void anUnhealthyContainerFailsWithoutWaitingForTheDeadline() {
    var unhealthy =
        new ContainerState(
            "a",
            "p_web_1",
            "web",
            1,
            "sha256:x",
            "app:1",
            "running",
            Optional.of("unhealthy"),
            "h");
    var starting =
        new ContainerState(
            "b", "p_web_2", "web", 2, "sha256:x", "app:1", "running", Optional.of("starting"), "h");

    assertThat(unhealthy.failure()).contains("p_web_1 is unhealthy");
    assertThat(starting.failure()).isEmpty();
    assertThat(starting.ready()).isFalse();
  }
}
