package dev.chatops.notify;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * An answer's body, its first {@code limit} bytes only: what a service says about a message fits in
 * a few kilobytes, and a receiver that sends more (or never stops) must not fill the memory. Once
 * the limit is reached the rest is refused, which closes that connection.
 */
final class BoundedBody implements HttpResponse.BodySubscriber<byte[]> {

  private final int limit;
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final CompletableFuture<byte[]> body = new CompletableFuture<>();
  // Signals arrive one at a time (Flow's rule), so no lock: only the done flag is read across.
  private Flow.Subscription subscription;
  private volatile boolean done;

  BoundedBody(int limit) {
    this.limit = limit;
  }

  @Override
  public CompletionStage<byte[]> getBody() {
    return body;
  }

  @Override
  public void onSubscribe(Flow.Subscription subscription) {
    this.subscription = subscription;
    subscription.request(1);
  }

  @Override
  public void onNext(List<ByteBuffer> buffers) {
    if (done) {
      return;
    }
    for (ByteBuffer buffer : buffers) {
      int take = Math.min(buffer.remaining(), limit - bytes.size());
      byte[] chunk = new byte[take];
      buffer.get(chunk);
      bytes.write(chunk, 0, take);
      if (bytes.size() >= limit) {
        done = true;
        body.complete(bytes.toByteArray());
        subscription.cancel();
        return;
      }
    }
    subscription.request(1);
  }

  @Override
  public void onError(Throwable error) {
    done = true;
    body.completeExceptionally(error);
  }

  @Override
  public void onComplete() {
    done = true;
    body.complete(bytes.toByteArray());
  }
}
