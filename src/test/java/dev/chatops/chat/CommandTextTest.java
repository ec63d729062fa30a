package dev.chatops.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chatops.chat.CommandText.NotUnderstood;
import dev.chatops.chat.CommandText.Understood;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class CommandTextTest {

  static Stream<Arguments> commands() {
    return Stream.of(
        Arguments.of("", new ChatCommand.Help()),
        Arguments.of("   \t ", new ChatCommand.Help()),
        Arguments.of("help", new ChatCommand.Help()),
        Arguments.of("HELP", new ChatCommand.Help()),
        Arguments.of("rollout-stack-media", new ChatCommand.Run("rollout-stack-media", Map.of())),
        Arguments.of(
            "scale-web replicas=3 tag=v1.2",
            new ChatCommand.Run("scale-web", Map.of("replicas", "3", "tag", "v1.2"))),
        Arguments.of(
            "  scale-web   replicas=3\n",
            new ChatCommand.Run("scale-web", Map.of("replicas", "3"))),
        Arguments.of("run status", new ChatCommand.Run("status", Map.of())),
        Arguments.of(
            "plan scale-web replicas=2",
            new ChatCommand.Plan("scale-web", Map.of("replicas", "2"))),
        Arguments.of(
            "deploy msg=\"two words\" empty=\"\" quote=\"say \\\"hi\\\" \\\\o/\"",
            new ChatCommand.Run(
                "deploy", Map.of("msg", "two words", "empty", "", "quote", "say \"hi\" \\o/"))),
        Arguments.of(
            "deploy flag=--force", new ChatCommand.Run("deploy", Map.of("flag", "--force"))),
        Arguments.of("deploy expr=a=b", new ChatCommand.Run("deploy", Map.of("expr", "a=b"))),
        Arguments.of(
            "deploy who=@everyone", new ChatCommand.Run("deploy", Map.of("who", "@everyone"))),
        Arguments.of("status", new ChatCommand.Status(Optional.empty())),
        Arguments.of("status stack_media", new ChatCommand.Status(Optional.of("stack_media"))),
        Arguments.of("history", new ChatCommand.History()),
        Arguments.of(
            "approve 3f2a9c1e-0b7d-4e55-9a1c-2b3c4d5e6f70",
            new ChatCommand.Decide("3f2a9c1e-0b7d-4e55-9a1c-2b3c4d5e6f70", true)),
        Arguments.of("Deny ex-12", new ChatCommand.Decide("ex-12", false)));
  }

  @ParameterizedTest
  @MethodSource("commands")
  void readsEachCommand(String text, ChatCommand expected) {
    assertThat(CommandText.parse(text)).isEqualTo(new Understood(expected));
  }

  static Stream<Arguments> wrong() {
    return Stream.of(
        Arguments.of("Deploy-Media", "is not an intent name"),
        Arguments.of("../etc/passwd", "is not an intent name"),
        Arguments.of("a/b", "is not an intent name"),
        Arguments.of("<!channel>", "is not an intent name"),
        Arguments.of("@everyone", "is not an intent name"),
        Arguments.of("--help", "is not an intent name"),
        Arguments.of("replicas=3", "expected an intent name"),
        Arguments.of("\"deploy\"", "expected an intent name"),
        Arguments.of("deploy replicas", "expected name=value, not 'replicas'"),
        Arguments.of("deploy --force", "expected name=value, not '--force'"),
        Arguments.of("deploy Replicas=3", "'Replicas' is not a parameter name"),
        Arguments.of("deploy 1x=3", "is not a parameter name"),
        Arguments.of("deploy =3", "is not a parameter name"),
        Arguments.of("deploy a=1 a=2", "parameter a is given twice"),
        Arguments.of("deploy msg=\"open", "a quoted value is not closed"),
        Arguments.of("deploy msg=\"a\"b", "must be followed by a space"),
        Arguments.of("deploy msg=a\"b\"", "a quote may only open a whole value"),
        Arguments.of("deploy msg=\"two\nlines\"", "must be on one line"),
        Arguments.of("deploy x=\u0007", "control characters"),
        Arguments.of("deploy x=a\u202eb", "control characters"),
        Arguments.of("deploy\u0000", "control characters"),
        Arguments.of("deploy x=\u2028", "control characters"),
        Arguments.of("plan", "plan takes an intent name"),
        Arguments.of("run", "run takes an intent name"),
        Arguments.of("plan replicas=2", "expected an intent name"),
        Arguments.of("status a b", "at most one stack"),
        Arguments.of("status ../x", "is not a stack name"),
        Arguments.of("history 5", "history takes nothing"),
        Arguments.of("help me", "help takes nothing"),
        Arguments.of("approve", "takes one execution id"),
        Arguments.of("approve a b", "takes one execution id"),
        Arguments.of("approve ../x", "is not an execution id"),
        Arguments.of("deny a/b", "is not an execution id"),
        Arguments.of("deny -x", "is not an execution id"),
        Arguments.of("deny " + "a".repeat(65), "is not an execution id"),
        Arguments.of("approve \"ex-1\"", "is not an execution id"));
  }

  @ParameterizedTest
  @MethodSource("wrong")
  void refusesTextOutOfShapeSayingWhy(String text, String problem) {
    assertThat(CommandText.parse(text))
        .isInstanceOfSatisfying(
            NotUnderstood.class, wrong -> assertThat(wrong.problem()).contains(problem));
  }

  @ParameterizedTest
  @ValueSource(strings = {"deploy\r\nx=1", "deploy\tx=1"})
  void takesLineBreaksAndTabsBetweenWordsAsSpaces(String text) {
    assertThat(CommandText.parse(text))
        .isEqualTo(new Understood(new ChatCommand.Run("deploy", Map.of("x", "1"))));
  }

  @Test
  void refusesTooLongTextBeforeReadingIt() {
    String text = "deploy x=" + "a".repeat(CommandText.MAX_TEXT);

    assertThat(CommandText.parse(text))
        .isEqualTo(new NotUnderstood("the command is longer than 2000 characters"));
  }

  @Test
  void refusesMoreParametersThanATriggerTakes() {
    StringBuilder text = new StringBuilder("deploy");
    for (int i = 0; i <= CommandText.MAX_PARAMS; i++) {
      text.append(" p").append(i).append("=1");
    }

    assertThat(CommandText.parse(text.toString()))
        .isEqualTo(new NotUnderstood("at most 32 parameters"));
    assertThat(CommandText.parse(text.toString().replace(" p32=1", "")))
        .isInstanceOf(Understood.class);
  }

  @Test
  void showsBadTextCutAndWithoutLineBreaks() {
    String text = "approve " + "x".repeat(500);

    NotUnderstood wrong = (NotUnderstood) CommandText.parse(text);

    assertThat(wrong.problem()).hasSizeLessThan(120).doesNotContain("\n");
  }
}
