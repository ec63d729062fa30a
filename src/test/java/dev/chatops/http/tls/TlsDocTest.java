package dev.chatops.http.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chatops.config.ConfigLoader;
import dev.chatops.config.ConfigResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every configuration block of {@code docs/TLS.md} loads as the service would load it. */
class TlsDocTest {

  private static final Pattern YAML = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL);

  @TempDir Path dir;

  @Test
  void everyConfigBlockLoads() throws IOException {
    String page = Files.readString(Path.of("docs/TLS.md"));
    Matcher block = YAML.matcher(page);
    List<String> blocks = new ArrayList<>();
    while (block.find()) {
      blocks.add(block.group(1));
    }
    assertThat(blocks).hasSizeGreaterThanOrEqualTo(3);
    for (String yaml : blocks) {
      Path file = Files.writeString(dir.resolve("chatops.yaml"), yaml);
      ConfigResult result = new ConfigLoader(Map.of(), dir).load(Optional.of(file));
      assertThat(result).as(yaml + "\n" + result).isInstanceOf(ConfigResult.Loaded.class);
    }
  }
}
