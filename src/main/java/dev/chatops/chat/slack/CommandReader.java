package dev.chatops.chat.slack;

import dev.chatops.chat.ChatCommand;
import java.util.Objects;

/**
 * Reads the text a user typed after the slash command ({@code plan web n=2}) into a command: the
 * platform-neutral {@code chat.CommandText}, adapted where the endpoints are built.
 */
@FunctionalInterface
public interface CommandReader {

  /** The command, or what is wrong with the text. */
  Reading read(String text);

  /** What a text means. */
  sealed interface Reading {}

  /** A command to carry out. */
  record Command(ChatCommand command) implements Reading {
    public Command {
      Objects.requireNonNull(command, "command");
    }
  }

  /** Not a command: {@code message} says why, to the user alone. */
  record Wrong(String message) implements Reading {
    public Wrong {
      Objects.requireNonNull(message, "message");
    }
  }
}
