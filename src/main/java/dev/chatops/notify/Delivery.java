package dev.chatops.notify;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes one attempt to deliver a notice, now: the request the channel's format builds, sent with
 * the JDK's HTTP client (HTTP/1.1, redirects never followed: a webhook that answers with a redirect
 * is not the webhook that was configured), the whole attempt (connection, request, answer) bounded
 * by the channel's timeout, the answer's body read up to {@link #READ_LIMIT} bytes only. Used by
 * the {@link Dispatcher} for every attempt and by {@code chatops notify test}.
 *
 * <p>No text it returns holds the channel's address, a token or a header value: failures are
 * described in fixed words ("connection refused", "timed out after 10s"), never with an exception's
 * message (the HTTP client's name the address), and whatever the request carried is masked in the
 * format's verdict and the body shown.
 *
 * <p>Thread-safe; one instance holds one HTTP client (its connections and threads) until closed.
 */
public final class Delivery implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Delivery.class);

  private static final String USER_AGENT =
      "ChatOps/"
          + Optional.ofNullable(Delivery.class.getPackage().getImplementationVersion())
              .orElse("dev")
          + " (notifications)";

  /** How much of an answer's body is read: enough for any service's error text. */
  static final int READ_LIMIT = 4096;

  /** How much of it an {@link Attempt} shows. */
  static final int SHOWN_LIMIT = 2048;

  private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .followRedirects(HttpClient.Redirect.NEVER)
          .executor(threads)
          .build();

  /**
   * What one attempt met.
   *
   * @param status the service's HTTP status; empty when it did not answer
   * @param body the start of the answer's body (at most 2 KiB), the service's own error text
   *     included; empty when it did not answer
   * @param answer what the channel makes of it
   */
  public record Attempt(OptionalInt status, String body, Answer answer) {}

  /**
   * Sends {@code notice} through {@code format} once and waits for the answer, at most {@code
   * timeout}. Interrupted, it gives up the request and returns a {@link Answer.Retry} with the
   * thread's interrupt flag set.
   *
   * @param deliveryId stable for this notice on this channel ({@link ChannelFormat#request})
   */
  public Attempt send(ChannelFormat format, Duration timeout, Notice notice, String deliveryId) {
    return send(format, timeout, () -> format.request(notice, deliveryId));
  }

  /**
   * Sends the request {@code build} makes through {@code format} once, as {@link
   * #send(ChannelFormat, Duration, Notice, String)} does.
   *
   * @throws OutboxFormat.Unreadable when {@code build} finds its stored message unreadable
   */
  Attempt send(OutboxFormat format, Duration timeout, Supplier<HttpCall> build) {
    HttpCall call;
    HttpRequest request;
    try {
      call = build.get();
      request = request(call, timeout);
    } catch (OutboxFormat.Unreadable e) {
      throw e;
    } catch (RuntimeException e) {
      // Its message may hold the address (an invalid URI names itself): the type only.
      return failed(new Answer.Refused("the request could not be built (" + type(e) + ")"));
    }
    CompletableFuture<HttpResponse<byte[]>> future =
        client.sendAsync(request, info -> new BoundedBody(READ_LIMIT));
    HttpResponse<byte[]> response;
    try {
      response = future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      return failed(new Answer.Retry("timed out after " + words(timeout), Optional.empty()));
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      return failed(new Answer.Retry("interrupted before an answer", Optional.empty()));
    } catch (ExecutionException e) {
      return failed(new Answer.Retry(failure(e.getCause(), timeout), Optional.empty()));
    }
    String body = new String(response.body(), StandardCharsets.UTF_8);
    Answer answer;
    try {
      answer = format.answer(response.statusCode(), response.headers(), body);
    } catch (RuntimeException e) {
      answer = new Answer.Refused("the answer could not be read (" + type(e) + ")");
    }
    String shown = cut(response.body(), SHOWN_LIMIT);
    return new Attempt(
        OptionalInt.of(response.statusCode()),
        Masking.mask(shown, call),
        Masking.mask(answer, call));
  }

  /** Gives up requests still running and stops the client's threads. */
  @Override
  public void close() {
    client.shutdownNow();
    try {
      if (!client.awaitTermination(Duration.ofSeconds(5))) {
        LOG.warn("a notification HTTP client did not stop within 5 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      threads.shutdownNow();
    }
  }

  private static HttpRequest request(HttpCall call, Duration timeout) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(call.uri())
            .timeout(timeout)
            .method(
                call.method(),
                HttpRequest.BodyPublishers.ofString(call.body(), StandardCharsets.UTF_8));
    boolean named = false;
    for (Map.Entry<String, String> header : call.headers()) {
      builder.header(header.getKey(), header.getValue());
      named |= header.getKey().equalsIgnoreCase("User-Agent");
    }
    if (!named) {
      // Some services (behind Cloudflare, Discord) turn away clients that do not name themselves.
      builder.header("User-Agent", USER_AGENT);
    }
    return builder.build();
  }

  private static Attempt failed(Answer answer) {
    return new Attempt(OptionalInt.empty(), "", answer);
  }

  /** A failure in fixed words: the HTTP client's messages name the address. */
  static String failure(Throwable cause, Duration timeout) {
    return switch (cause) {
      case HttpConnectTimeoutException e -> "connection timed out after " + words(timeout);
      case HttpTimeoutException e -> "timed out after " + words(timeout);
      case ConnectException e -> "connection refused";
      case UnknownHostException e -> "unknown host";
      case SSLHandshakeException e -> "TLS handshake failed";
      case SSLException e -> "TLS failed (" + type(e) + ")";
      case IOException e -> "connection failed (" + type(e) + ")";
      case null -> "request failed";
      default -> "request failed (" + type(cause) + ")";
    };
  }

  /** {@code 10s}, {@code 250ms}. */
  static String words(Duration duration) {
    return duration.toMillis() % 1000 == 0
        ? duration.toSeconds() + "s"
        : duration.toMillis() + "ms";
  }

  private static String type(Throwable e) {
    return e.getClass().getSimpleName();
  }

  /** The first {@code limit} bytes as text (a character cut in two becomes U+FFFD). */
  private static String cut(byte[] body, int limit) {
    return new String(body, 0, Math.min(body.length, limit), StandardCharsets.UTF_8);
  }
}
