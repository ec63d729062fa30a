package dev.chatops.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceTextTest {

  @TempDir Path dir;

  @Test
  void locatesTheFirstInvalidUtf8Byte() {
    byte[] bytes = "name: ok\nx: caf".getBytes(StandardCharsets.UTF_8);
    byte[] bad = new byte[bytes.length + 2];
    System.arraycopy(bytes, 0, bad, 0, bytes.length);
    bad[bytes.length] = (byte) 0xC3;
    bad[bytes.length + 1] = (byte) 0x28;

    SourceText.Result result = SourceText.decode(bad, "f.yaml");

    assertThat(result).isInstanceOf(SourceText.Rejected.class);
    Problem problem = ((SourceText.Rejected) result).problem();
    assertThat(problem.position()).isEqualTo(new Position(2, 7));
    assertThat(problem.message()).contains("invalid UTF-8 (byte 0xc3 at offset 15)");
  }

  @Test
  void refusesAFileOverTheLimitWithoutReadingItAll() throws IOException {
    Path big = dir.resolve("big.yaml");
    Files.write(big, new byte[10 * 1024 * 1024]);

    SourceText.Result result = SourceText.read(big, "big.yaml", 1024 * 1024);

    assertThat(result).isInstanceOf(SourceText.Rejected.class);
    assertThat(((SourceText.Rejected) result).problem().format())
        .isEqualTo(
            "big.yaml:1:1: error: file is larger than the limit of 1 MiB; refusing to read it");
  }

  @Test
  void dropsAByteOrderMark() {
    byte[] withBom = "\uFEFFa: 1".getBytes(StandardCharsets.UTF_8);

    assertThat(SourceText.decode(withBom, "f.yaml")).isEqualTo(new SourceText.Text("a: 1"));
  }
}
