package dev.chatops.chat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A {@link FollowUp} that keeps what it is sent, in order; {@link #hang} makes each send block
 * until {@link #release}, as a platform that stops answering would hold its sender.
 */
final class RecordingFollowUp implements FollowUp {

  final List<ChatReply> sent = new CopyOnWriteArrayList<>();
  private volatile CountDownLatch gate = new CountDownLatch(0);
  private final CountDownLatch entered = new CountDownLatch(1);

  @Override
  public void send(ChatReply reply) {
    entered.countDown();
    try {
      if (!gate.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("a hung follow-up was never released");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    sent.add(reply);
  }

  /** Every send from now blocks until {@link #release}. */
  void hang() {
    gate = new CountDownLatch(1);
  }

  void release() {
    gate.countDown();
  }

  /** Waits until a send has begun (and, hung, blocks). */
  boolean entered(long seconds) throws InterruptedException {
    return entered.await(seconds, TimeUnit.SECONDS);
  }

  List<String> titles() {
    return sent.stream().map(ChatReply::title).toList();
  }
}
