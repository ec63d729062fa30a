package dev.chatops.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chatops.config.NotifyChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

class HookTextsTest {

  @ParameterizedTest
  @ValueSource(strings = {"a", "é", "€", "🚀", "a🚀é€", "👨‍👩‍👧"})
  void cuttingToAnyByteBudgetKeepsEveryCharacterWholeAndFits(String unit) {
    String text = unit.repeat(40);
    int size = text.getBytes(StandardCharsets.UTF_8).length;

    for (int max = 3; max <= size + 2; max++) {
      String cut = HookTexts.cutUtf8(text, max);

      assertThat(cut.getBytes(StandardCharsets.UTF_8).length)
          .as("max %d", max)
          .isLessThanOrEqualTo(max);
      assertThat(new String(cut.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8))
          .as("a whole UTF-8 text at max %d", max)
          .isEqualTo(cut);
      if (max >= size) {
        assertThat(cut).isEqualTo(text);
      } else {
        assertThat(cut).endsWith(HookTexts.ELLIPSIS);
        assertThat(text).startsWith(cut.substring(0, cut.length() - 1));
        // nothing was left out that would still have fitted
        int kept = cut.getBytes(StandardCharsets.UTF_8).length;
        String next = text.substring(cut.length() - 1);
        int nextSize =
            new String(Character.toChars(next.codePointAt(0)))
                .getBytes(StandardCharsets.UTF_8)
                .length;
        assertThat(kept + nextSize).isGreaterThan(max);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"a", "🚀", "a🚀"})
  void cuttingToAnyCodePointCountNeverSplitsAPair(String unit) {
    String text = unit.repeat(30);
    int count = text.codePointCount(0, text.length());

    for (int max = 1; max <= count + 1; max++) {
      String cut = HookTexts.cutCodePoints(text, max);

      assertThat(cut.codePointCount(0, cut.length())).isEqualTo(Math.min(max, count));
      assertThat(cut.codePoints().anyMatch(c -> Character.isSurrogate((char) c) && c < 0x10000))
          .isFalse();
    }
  }

  @Test
  void oneLineLeavesNoWayToBreakALine() {
    String hostile = "a\rb\nc\u0085d\u2028e\u2029f\u000bg\u000ch\u0000i\u202Ej\u2066k\ud83dl";

    String line = HookTexts.oneLine(hostile);

    assertThat(line).isEqualTo("a b c d e f g h i j k\uFFFDl");
  }

  @Test
  void retryAfterIsReadInSecondsAndBounded() {
    assertThat(Texts.retryAfter(NtfyFormatTest.headers(Map.of("Retry-After", " 5 "))))
        .contains(Duration.ofSeconds(5));
    assertThat(Texts.retryAfter(NtfyFormatTest.headers(Map.of("Retry-After", "-5")))).isEmpty();
    assertThat(Texts.retryAfter(NtfyFormatTest.headers(Map.of("Retry-After", "1.5"))))
        .contains(Duration.ofMillis(1500));
    assertThat(Texts.retryAfter(NtfyFormatTest.headers(Map.of("Retry-After", "soon")))).isEmpty();
    assertThat(Texts.retryAfter(NtfyFormatTest.headers(Map.of("Retry-After", "999999999999"))))
        .contains(Texts.LONGEST_WAIT);
  }

  @ParameterizedTest
  @EnumSource(Event.class)
  void theOperatorsGuideNamesEveryEvent(Event event) throws Exception {
    String guide = Files.readString(Path.of("docs/NOTIFY.md"));

    assertThat(guide).contains("`" + event.key() + "`");
  }

  @Test
  void theOperatorsGuideDescribesEveryKeyOfTheWebhooksDocument() throws Exception {
    String guide = Files.readString(Path.of("docs/NOTIFY.md"));
    String document =
        new WebhookFormat(
                HookNotices.channel(
                    NotifyChannel.Type.WEBHOOK,
                    "https://hooks.example.org/x",
                    Optional.empty(),
                    Optional.empty()),
                InstantSource.system())
            .request(HookNotices.of(Event.TEST), "d")
            .body();

    JsonMapper.builder()
        .build()
        .readTree(document)
        .propertyNames()
        .forEach(key -> assertThat(guide).contains("| `" + key + "` |"));
  }
}
