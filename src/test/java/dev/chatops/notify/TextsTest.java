package dev.chatops.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chatops.config.Secret;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TextsTest {

  @Test
  void aCutNeverSplitsASurrogatePairAndEndsWithAnEllipsis() {
    String emoji = "\uD83D\uDE00";
    for (int max = 1; max <= 12; max++) {
      for (int lead = 0; lead < 3; lead++) {
        String text = "a".repeat(lead) + emoji.repeat(6);
        String cut = Texts.cut(text, max);
        assertThat(cut.length()).isLessThanOrEqualTo(max);
        assertThat(
                Character.isHighSurrogate(cut.charAt(Math.max(0, cut.length() - 2)))
                    && cut.endsWith("\u2026"))
            .as("cut %d of %s", max, text)
            .isFalse();
        if (text.length() > max) {
          assertThat(cut).endsWith(Texts.ELLIPSIS);
        } else {
          assertThat(cut).isEqualTo(text);
        }
      }
    }
  }

  @Test
  void cleaningDropsControlsAndOverridesAndRepairsHalfCharacters() {
    assertThat(Texts.clean("a\r\nb\rc\u0000d\u001b[31me\u202ef\uD83Dg\uDE00h\tI\uD83D\uDE00"))
        .isEqualTo("a\nb\ncd[31mef\uFFFDg\uFFFDh\tI\uD83D\uDE00");
    assertThat(Texts.clean("@everyone @HERE @channel @room mail@example.org"))
        .isEqualTo("@\u200Beveryone @\u200BHERE @\u200Bchannel @\u200Broom mail@example.org");
    assertThat(Texts.line(" a\nb\tc ")).isEqualTo("a b c");
  }

  @Test
  void backtickRunsAreBrokenUp() {
    for (int n = 1; n <= 9; n++) {
      assertThat(Texts.defuseBackticks("`".repeat(n))).doesNotContain("``");
    }
  }

  @Test
  void aBudgetIsSharedShortestFirst() {
    assertThat(Texts.share(new int[] {10, 1_000, 20}, 100)).containsExactly(10, 70, 20);
    assertThat(Texts.share(new int[] {500, 500}, 100)).containsExactly(50, 50);
    assertThat(Texts.share(new int[] {5}, -3)).containsExactly(0);
  }

  @ParameterizedTest
  @CsvSource({
    "1, PT1S",
    "1.5, PT1.5S",
    "0.25, PT0.25S",
    "0, PT0S",
    "-1, ",
    "soon, ",
    "999999, PT1H",
    "1e3, ",
    "0x10, "
  })
  void secondsAreReadWholeOrDecimal(String value, String expected) {
    assertThat(Texts.seconds(value)).isEqualTo(Optional.ofNullable(expected).map(Duration::parse));
  }

  @Test
  void aReasonLosesTheChannelsSecrets() {
    Secret url = Secret.of("https://hooks.example/services/T0/B0/abcdefghijklmnopqrstuvwx");
    assertThat(
            Texts.reason(
                "no hook https://hooks.example/services/T0/B0/abcdefghijklmnopqrstuvwx or abcdefghijklmnopqrstuvwx or tok-123456",
                url,
                Optional.of(Secret.of("tok-123456"))))
        .isEqualTo("no hook *** or *** or ***");
  }
}
