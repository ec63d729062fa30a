package dev.chatops.notify;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/** Notices for the format tests: a plausible one per event, and hostile ones from a seed. */
final class SampleNotices {

  static final Instant AT = Instant.parse("2026-11-30T01:15:00Z");

  /** Pieces process output and request data can hold that a chat service may read as markup. */
  static final List<String> NASTY =
      List.of(
          "@everyone",
          "@here",
          "@channel",
          "@room",
          "<!channel>",
          "<!here>",
          "<@U0123ABCD>",
          "<@&123456789>",
          "</code>",
          "</pre>",
          "```",
          "`",
          "``",
          "<script>alert(1)</script>",
          "<img src=x onerror=alert(1)>",
          "&amp;",
          "&",
          "&lt;",
          "<",
          ">",
          "\u0000",
          "\u0007",
          "\u001b[31m",
          "\r\n",
          "\r",
          "\n",
          "\t",
          "\u202e",
          "\u2066",
          "\uD83D\uDE00",
          "\uD83D",
          "\uDE00",
          "\u00e9",
          "\u4e2d\u6587",
          "[click](https://evil.example)",
          "<https://evil.example|click>",
          "*bold*",
          "_",
          "~",
          "|",
          "\\",
          "\"",
          "'",
          "%21",
          "${x}",
          "# heading",
          "> quote");

  private SampleNotices() {}

  /** A plausible notice of {@code event}, with fields, output and a link. */
  static Notice of(Event event) {
    List<Notice.Field> fields =
        List.of(
            new Notice.Field("intent", "rollout-media"),
            new Notice.Field("stack", "media"),
            new Notice.Field("actor", "ci-deploy"),
            new Notice.Field("source", "203.0.113.9"),
            new Notice.Field("PR", "#42"),
            new Notice.Field("duration", "12.4 s"));
    return new Notice(
        "audit-" + event.key(),
        event,
        AT,
        event.key().replace('_', ' ') + ": rollout-media",
        "Execution 01JD6Y of rollout-media on stack media.\nSecond line.",
        fields,
        event == Event.EXECUTION_FAILED
            ? Optional.of("Error response from daemon: pull access denied for media/app")
            : Optional.empty(),
        Optional.of("https://chatops.example.org/api/v1/executions/01JD6Y"));
  }

  /** A notice made of nasty pieces and long runs, of any size up to far past every limit. */
  static Notice hostile(RandomGenerator random) {
    List<Notice.Field> fields = new ArrayList<>();
    int count = random.nextInt(4) == 0 ? random.nextInt(60) : random.nextInt(8);
    for (int i = 0; i < count; i++) {
      fields.add(new Notice.Field(text(random, 320), text(random, 2_500)));
    }
    Optional<String> link =
        switch (random.nextInt(5)) {
          case 0 -> Optional.empty();
          case 1 -> Optional.of("javascript:alert(1)");
          case 2 -> Optional.of(text(random, 3_000));
          default ->
              Optional.of("https://chatops.example.org/api/v1/executions/" + random.nextInt());
        };
    return new Notice(
        "audit-" + random.nextInt(1_000_000),
        List.of(Event.values()).get(random.nextInt(Event.values().length)),
        AT,
        text(random, 400),
        text(random, 12_000),
        fields,
        random.nextBoolean() ? Optional.of(text(random, 7_000)) : Optional.empty(),
        link);
  }

  /** Nasty pieces, long runs of emoji and of plain letters, up to about {@code max} units. */
  static String text(RandomGenerator random, int max) {
    int target = random.nextInt(3) == 0 ? max : random.nextInt(max + 1);
    StringBuilder text = new StringBuilder();
    while (text.length() < target) {
      switch (random.nextInt(4)) {
        case 0 -> text.append("\uD83D\uDE80".repeat(1 + random.nextInt(200)));
        case 1 -> text.append("x".repeat(1 + random.nextInt(300)));
        default -> text.append(NASTY.get(random.nextInt(NASTY.size())));
      }
    }
    return text.toString();
  }
}
