package dev.chatops.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chatops.engine.TriggerRequest;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A trigger body's labels and repository follow {@code policy.TriggerFormats}, the one definition
 * (the body once accepted {@code owner/..}, which the configuration refused).
 */
class TriggerBodyFormatsTest {

  private static TriggerRequest parse(String json) {
    return TriggerBody.parse("scale-web", json.getBytes(UTF_8), Optional.empty());
  }

  @Test
  void aRepositoryNamedDotDotIsRefused() {
    assertThatThrownBy(() -> parse("{\"ref\":{\"repo\":\"alice/..\"}}"))
        .isInstanceOf(Problems.ProblemException.class)
        .hasMessage("ref.repo must be owner/name");
  }

  @Test
  void aRepositoryAndLabelsOfTheSharedShapeAreAccepted() {
    TriggerRequest request =
        parse("{\"ref\":{\"repo\":\"alice/.github\"},\"labels\":[\"needs review\"]}");

    assertThat(request.ref()).containsEntry("repo", "alice/.github");
    assertThat(request.labels()).containsExactly("needs review");
  }

  @Test
  void aLabelWithACommaIsRefused() {
    assertThatThrownBy(() -> parse("{\"labels\":[\"a,b\"]}"))
        .isInstanceOf(Problems.ProblemException.class)
        .hasMessage("labels[0] must be a label of 1 to 50 characters");
  }
}
