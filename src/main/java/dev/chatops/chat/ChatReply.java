package dev.chatops.chat;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One message back to a chat user, before a platform shapes it (Block Kit, a Discord message):
 * plain text that the platform escapes and cuts to its limits.
 *
 * @param visibility whether only the user sees it, or the channel
 * @param tone its colour family
 * @param title one line
 * @param text the body, plain text, possibly several lines
 * @param fields ordered name/value pairs (intent, stack, status, duration...)
 * @param code output to show verbatim (a failing step's redacted output), if any
 * @param buttons Approve and Deny, on an approval request
 * @param link the execution's address ({@code server.public_url} + API path), if configured
 */
public record ChatReply(
    Visibility visibility,
    Tone tone,
    String title,
    String text,
    List<Field> fields,
    Optional<String> code,
    List<Button> buttons,
    Optional<String> link) {

  public ChatReply {
    Objects.requireNonNull(visibility, "visibility");
    Objects.requireNonNull(tone, "tone");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(text, "text");
    fields = List.copyOf(fields);
    Objects.requireNonNull(code, "code");
    buttons = List.copyOf(buttons);
    Objects.requireNonNull(link, "link");
  }

  /** A reply of text alone, for the user who asked. */
  public static ChatReply note(Tone tone, String title, String text) {
    return new ChatReply(
        Visibility.EPHEMERAL,
        tone,
        title,
        text,
        List.of(),
        Optional.empty(),
        List.of(),
        Optional.empty());
  }

  /** Who sees a reply. */
  public enum Visibility {
    /** The user alone (Slack's {@code ephemeral}, Discord's flag 64). */
    EPHEMERAL,
    /** Everyone in the channel (an approval request, an outcome others should see). */
    CHANNEL
  }

  /** The colour family: as notifications colour theirs. */
  public enum Tone {
    DANGER,
    SUCCESS,
    WARNING,
    INFO
  }

  /** One labelled value. */
  public record Field(String name, String value) {
    public Field {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
    }
  }

  /**
   * A button that decides an execution: the platform encodes {@code approve} and {@code
   * executionId} in its own field (Slack's {@code value}, Discord's {@code custom_id}) and turns a
   * click back into {@link ChatCommand.Decide} for the user who clicked.
   */
  public record Button(boolean approve, String executionId) {
    public Button {
      Objects.requireNonNull(executionId, "executionId");
    }
  }
}
