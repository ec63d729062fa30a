package dev.chatops.chat;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a chat user asks for, whatever the platform: {@code /deploy <intent> [k=v ...]}, {@code
 * /deploy plan <intent> [k=v ...]}, {@code /deploy status [stack]}, {@code /deploy history}, {@code
 * /deploy approve|deny <id>} (typed, or an Approve/Deny button), {@code /deploy help}.
 */
public sealed interface ChatCommand {

  /** Run an intent (its approvals, if it needs any, come later). */
  record Run(String intent, Map<String, String> params) implements ChatCommand {
    public Run {
      Objects.requireNonNull(intent, "intent");
      params = Map.copyOf(params);
    }
  }

  /** A dry run: the exact steps a run would execute, recorded, changing nothing. */
  record Plan(String intent, Map<String, String> params) implements ChatCommand {
    public Plan {
      Objects.requireNonNull(intent, "intent");
      params = Map.copyOf(params);
    }
  }

  /** Running and waiting executions, of one stack when named. */
  record Status(Optional<String> stack) implements ChatCommand {
    public Status {
      Objects.requireNonNull(stack, "stack");
    }
  }

  /** Recent executions the user may see. */
  record History() implements ChatCommand {}

  /** Approve ({@code approve} true) or deny an execution waiting for approvals. */
  record Decide(String executionId, boolean approve) implements ChatCommand {
    public Decide {
      Objects.requireNonNull(executionId, "executionId");
    }
  }

  /** What the commands are. */
  record Help() implements ChatCommand {}
}
