package dev.chatops.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BoundedLinesTest {

  private static List<String> lines(String text, int max) throws IOException {
    List<String> lines = new ArrayList<>();
    try (BoundedLines reader = new BoundedLines(new StringReader(text), max)) {
      String line;
      while ((line = reader.next()) != null) {
        lines.add(line + (reader.cut() ? "|cut" : ""));
      }
    }
    return lines;
  }

  @Test
  void endsLinesAtEveryKindOfLineEndLikeReadLine() throws IOException {
    assertThat(lines("a\nb\r\nc\rd", 10)).containsExactly("a", "b", "c", "d");
    assertThat(lines("a\n\nb\n", 10)).containsExactly("a", "", "b");
    assertThat(lines("", 10)).isEmpty();
    assertThat(lines("\r\n\r\n", 10)).containsExactly("", "");
  }

  @Test
  void keepsTheFirstCharactersOfALongLineAndSaysItWasCut() throws IOException {
    assertThat(lines("abcdefgh\nxy\n" + "z".repeat(20_000), 4))
        .containsExactly("abcd|cut", "xy", "zzzz|cut");
  }
}
