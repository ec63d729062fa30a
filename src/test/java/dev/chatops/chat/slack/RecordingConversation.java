package dev.chatops.chat.slack;

import dev.chatops.chat.ChatCommand;
import dev.chatops.chat.ChatIdentity;
import dev.chatops.chat.ChatReply;
import dev.chatops.chat.Conversation;
import dev.chatops.chat.FollowUp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A conversation that records what it is asked and answers with an ephemeral reply naming the
 * command; when told, it also sends a follow-up before it returns (as a run that starts at once
 * does), or fails as a broken store would.
 */
final class RecordingConversation implements Conversation {

  /** One call. */
  record Call(ChatIdentity who, ChatCommand command, String source) {}

  private final List<Call> calls = new ArrayList<>(); // guarded by this
  private final AtomicBoolean failing = new AtomicBoolean();
  private volatile Optional<ChatReply> followUp = Optional.empty();

  @Override
  public ChatReply handle(ChatIdentity who, ChatCommand command, String source, FollowUp later) {
    synchronized (this) {
      calls.add(new Call(who, command, source));
    }
    if (failing.get()) {
      throw new IllegalStateException("the store is unavailable");
    }
    followUp.ifPresent(later::send);
    return new ChatReply(
        ChatReply.Visibility.EPHEMERAL,
        ChatReply.Tone.INFO,
        "Got " + command.getClass().getSimpleName(),
        command.toString(),
        List.of(new ChatReply.Field("user", who.actor())),
        Optional.empty(),
        List.of(),
        Optional.empty());
  }

  synchronized List<Call> calls() {
    return List.copyOf(calls);
  }

  /** Sends {@code reply} to the follow-up of each command before returning. */
  void followUpWith(ChatReply reply) {
    followUp = Optional.of(reply);
  }

  void fail() {
    failing.set(true);
  }
}
