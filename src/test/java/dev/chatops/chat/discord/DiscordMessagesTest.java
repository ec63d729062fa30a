package dev.chatops.chat.discord;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chatops.chat.ChatReply;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class DiscordMessagesTest {

  @Test
  void aHugeReplyIsCutToDiscordsLimits() {
    String emoji = "\uD83D\uDE80"; // a surrogate pair: never cut in half
    List<ChatReply.Field> fields = new ArrayList<>();
    IntStream.range(0, 40)
        .forEach(i -> fields.add(new ChatReply.Field("n".repeat(300) + i, emoji.repeat(700))));
    ChatReply reply =
        new ChatReply(
            ChatReply.Visibility.EPHEMERAL,
            ChatReply.Tone.WARNING,
            emoji.repeat(300),
            emoji.repeat(5000),
            fields,
            Optional.of("x".repeat(10_000)),
            IntStream.range(0, 40)
                .mapToObj(i -> new ChatReply.Button(i % 2 == 0, "exec-" + i))
                .toList(),
            Optional.of("javascript:alert(1)"));

    JsonNode message = DiscordMessages.message(reply, true);
    JsonNode embed = message.path("embeds").get(0);

    assertThat(embed.path("title").asString().length()).isLessThanOrEqualTo(256);
    assertThat(embed.path("description").asString().length()).isLessThanOrEqualTo(4096);
    assertThat(embed.path("fields").size()).isLessThanOrEqualTo(25);
    int total =
        embed.path("title").asString().length() + embed.path("description").asString().length();
    for (JsonNode field : embed.path("fields")) {
      assertThat(field.path("name").asString().length()).isLessThanOrEqualTo(256);
      assertThat(field.path("value").asString().length()).isLessThanOrEqualTo(1024);
      total += field.path("name").asString().length() + field.path("value").asString().length();
    }
    assertThat(total).isLessThanOrEqualTo(6000);
    assertThat(message.toString()).doesNotContain("\\uD83D\\\"", "\\uD83D\\u2026"); // no lone half
    for (String text :
        List.of(embed.path("title").asString(), embed.path("description").asString())) {
      assertThat(text.codePoints().filter(c -> c >= 0xD800 && c <= 0xDFFF).count()).isZero();
    }
    assertThat(embed.has("url")).isFalse(); // only http(s) links
    assertThat(message.path("components").size()).isEqualTo(5);
    assertThat(message.path("components"))
        .allSatisfy(row -> assertThat(row.path("components").size()).isEqualTo(5));
    assertThat(message.path("flags").asInt()).isEqualTo(64);
    assertThat(embed.path("color").asInt()).isEqualTo(0xECB22E);
  }

  @Test
  void aButtonForAnIdThatCannotComeBackIsLeftOut() {
    ChatReply reply =
        new ChatReply(
            ChatReply.Visibility.CHANNEL,
            ChatReply.Tone.INFO,
            "t",
            "",
            List.of(),
            Optional.empty(),
            List.of(new ChatReply.Button(true, "../x"), new ChatReply.Button(false, "ok-1")),
            Optional.of("https://chatops.example/x"));

    JsonNode message = DiscordMessages.message(reply, true);

    assertThat(message.path("components").get(0).path("components"))
        .extracting(b -> b.path("custom_id").asString())
        .containsExactly("chatops:deny:ok-1");
    assertThat(message.has("flags")).isFalse();
    assertThat(message.path("embeds").get(0).path("url").asString())
        .isEqualTo("https://chatops.example/x");
    assertThat(message.path("embeds").get(0).path("description").asString()).isEqualTo("-");
  }

  @Test
  void controlCharactersAndDirectionOverridesAreDropped() {
    assertThat(DiscordMessages.clean("a\u0000b\u202Ec\r\nd\u0007")).isEqualTo("abc\nd");
    assertThat(DiscordMessages.line("a\nb\tc")).isEqualTo("a b c");
    assertThat(DiscordMessages.cut("ab\uD83D\uDE80cd", 4)).isEqualTo("ab…");
  }
}
