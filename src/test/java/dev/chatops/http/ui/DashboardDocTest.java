package dev.chatops.http.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chatops.testing.LiveService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code ui} block docs/DASHBOARD.md shows is one the service loads and serves. */
class DashboardDocTest {

  @TempDir Path tmp;

  @Test
  void theDocumentedUiBlockLoads() throws Exception {
    Matcher block =
        Pattern.compile("```yaml\n(ui:.*?)```", Pattern.DOTALL)
            .matcher(Files.readString(Path.of("docs/DASHBOARD.md")));
    assertThat(block.find()).isTrue();

    try (LiveService live = new LiveService(tmp, block.group(1), Map.of())) {
      assertThat(live.get("/ui/login").statusCode()).isEqualTo(200);
    }
  }
}
