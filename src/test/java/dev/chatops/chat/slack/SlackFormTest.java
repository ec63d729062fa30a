package dev.chatops.chat.slack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SlackFormTest {

  private static Optional<SlackForm> parse(String body) {
    return SlackForm.parse(body.getBytes(StandardCharsets.ISO_8859_1));
  }

  @Test
  void fieldsAreDecodedAsUtf8WithPlusAsSpace() {
    SlackForm form =
        parse("user_id=U123&text=plan+web+n%3D2+msg%3D%22h%C3%A9+%F0%9F%9A%80%22&empty=&bare")
            .orElseThrow();
    assertThat(form.field("user_id")).contains("U123");
    assertThat(form.field("text")).contains("plan web n=2 msg=\"h\u00e9 \uD83D\uDE80\"");
    assertThat(form.field("empty")).contains("");
    assertThat(form.field("bare")).contains("");
    assertThat(form.field("absent")).isEmpty();
  }

  @Test
  void anEmptyBodyIsAFormWithoutFields() {
    assertThat(parse("")).hasValueSatisfying(form -> assertThat(form.field("")).isEmpty());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "user_id=U123&user_id=U999", // a second user_id must never win or lose by position
        "text=a&text=a",
        "user_id=U123&user%5Fid=U999", // the same name, encoded otherwise
        "text=%", // a broken escape
        "text=%4",
        "text=%zz",
        "text=%C3%28", // not UTF-8
        "text=%FF",
        "=value", // a field without a name
        "a=1&&b=2"
      })
  void aBodyThatIsNotAStrictFormIsRefusedWhole(String body) {
    assertThat(parse(body)).isEmpty();
  }

  @Test
  void rawBytesPastAsciiAreRefused() {
    byte[] body = "text=caf\u00e9".getBytes(StandardCharsets.UTF_8);
    assertThat(SlackForm.parse(body)).isEmpty();
  }
}
