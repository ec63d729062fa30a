package dev.chatops.chat.discord;

import dev.chatops.chat.ChatReply;
import dev.chatops.chat.FollowUp;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Sends the messages that follow an interaction through its webhook: first the deferred answer's
 * content ({@code PATCH /webhooks/{application}/{token}/messages/@original}), then follow-ups
 * ({@code POST /webhooks/{application}/{token}}), in order, one virtual thread per interaction
 * while it has messages. Whatever Discord does (429, errors, hanging), {@link FollowUp#send}
 * returns at once: the deployment never waits for Discord. Bounded: messages per interaction,
 * interactions with messages waiting, attempts per message, a deadline per request, and Discord's
 * own 15-minute life of an interaction token.
 */
final class DiscordWebhooks implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DiscordWebhooks.class);

  /** How long Discord accepts an interaction's token for follow-ups. */
  static final Duration TOKEN_LIFE = Duration.ofMinutes(15);

  /** Messages one interaction may have waiting; more are dropped (the audit trail has them). */
  static final int QUEUE = 20;

  /** Interactions that may have messages waiting at once; a new one past it sends nothing. */
  static final int INTERACTIONS = 256;

  /** Attempts per message (a 429 waits as Discord says; errors wait a little). */
  static final int ATTEMPTS = 4;

  /** The longest {@code retry_after} waited for; a longer one drops the message. */
  static final Duration LONGEST_WAIT = Duration.ofMinutes(1);

  static final String USER_AGENT = "DiscordBot (https://github.com/chatops/chatops, 1)";

  /** How a sender waits between attempts (tests record the waits instead of taking them). */
  @FunctionalInterface
  interface Pause {
    void pause(Duration duration) throws InterruptedException;
  }

  private final URI api;
  private final HttpClient http;
  private final Duration timeout;
  private final Pause pause;
  private final InstantSource clock;
  private final Semaphore interactions = new Semaphore(INTERACTIONS);
  private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

  /**
   * @param api Discord's API base ({@code https://discord.com/api/v10})
   * @param timeout the deadline of one request, from its start
   */
  DiscordWebhooks(URI api, Duration timeout, Pause pause, InstantSource clock) {
    String base = api.toString();
    this.api = URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    this.timeout = timeout;
    this.pause = pause;
    this.clock = clock;
  }

  /** A sender with a 10 s deadline per request and real waits. */
  static DiscordWebhooks of(URI api) {
    return new DiscordWebhooks(api, Duration.ofSeconds(10), Thread::sleep, InstantSource.system());
  }

  /**
   * The messages of one interaction ({@code applicationId} and {@code token} as the signed
   * interaction carried them, already checked for shape). Nothing is sent before {@link
   * Exchange#original}: follow-ups given earlier wait behind it.
   */
  Exchange open(String interactionId, String applicationId, String token) {
    URI webhook = URI.create(api + "/webhooks/" + applicationId + "/" + token);
    return new Exchange(interactionId, webhook, clock.instant());
  }

  /** One interaction's webhook: the original answer, then follow-ups, in order. */
  final class Exchange implements FollowUp {
    private final String interactionId;
    private final URI webhook;
    private final Instant opened;
    private final Deque<Message> queue = new ArrayDeque<>(); // guarded by this
    private boolean ready; // guarded by this: the original is queued
    private boolean draining; // guarded by this

    private Exchange(String interactionId, URI webhook, Instant opened) {
      this.interactionId = interactionId;
      this.webhook = webhook;
      this.opened = opened;
    }

    /** Edits the deferred answer into {@code reply}: the first message sent. */
    void original(ChatReply reply) {
      synchronized (this) {
        if (ready) {
          throw new IllegalStateException("the original answer is given once");
        }
        ready = true;
        queue.addFirst(new Message(true, DiscordMessages.message(reply, false).toString()));
      }
      drain();
    }

    @Override
    public void send(ChatReply reply) {
      synchronized (this) {
        // the original answer, queued or not, is never counted against the follow-ups
        if (queue.stream().filter(message -> !message.original()).count() >= QUEUE) {
          LOG.warn("discord interaction {}: follow-up dropped, {} waiting", interactionId, QUEUE);
          return;
        }
        queue.addLast(new Message(false, DiscordMessages.message(reply, true).toString()));
      }
      drain();
    }

    private void drain() {
      synchronized (this) {
        if (!ready || draining || queue.isEmpty()) {
          return;
        }
        if (!interactions.tryAcquire()) {
          LOG.warn("discord interaction {}: follow-ups dropped, too many waiting", interactionId);
          queue.clear();
          return;
        }
        draining = true;
      }
      try {
        threads.execute(this::run);
      } catch (RejectedExecutionException closed) {
        interactions.release();
        synchronized (this) {
          draining = false;
          queue.clear();
        }
      }
    }

    private void run() {
      try {
        while (true) {
          Message next;
          synchronized (this) {
            next = queue.poll();
            if (next == null) {
              draining = false;
              return;
            }
          }
          deliver(next);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt(); // closing: what waits is dropped
        synchronized (this) {
          draining = false;
          queue.clear();
        }
      } finally {
        interactions.release();
      }
    }

    private void deliver(Message message) throws InterruptedException {
      for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
        if (clock.instant().isAfter(opened.plus(TOKEN_LIFE))) {
          LOG.warn("discord interaction {}: token expired, message dropped", interactionId);
          return;
        }
        Optional<Duration> wait = attempt(message);
        if (wait.isEmpty()) {
          return;
        }
        if (attempt < ATTEMPTS) {
          pause.pause(wait.get());
        }
      }
      LOG.warn(
          "discord interaction {}: message dropped after {} attempts", interactionId, ATTEMPTS);
    }

    /** One request; empty when done with the message (sent or refused), else how long to wait. */
    private Optional<Duration> attempt(Message message) {
      URI target = message.original() ? URI.create(webhook + "/messages/@original") : webhook;
      HttpRequest request =
          HttpRequest.newBuilder(target)
              .timeout(timeout)
              .header("Content-Type", "application/json")
              .header("User-Agent", USER_AGENT)
              .method(
                  message.original() ? "PATCH" : "POST",
                  HttpRequest.BodyPublishers.ofString(message.json(), StandardCharsets.UTF_8))
              .build();
      HttpResponse<String> response;
      try {
        response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      } catch (IOException e) {
        // Never the exception's text: the address holds the interaction's token.
        LOG.warn("discord interaction {}: {}", interactionId, e.getClass().getSimpleName());
        return Optional.of(Duration.ofSeconds(1));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      }
      int status = response.statusCode();
      if (status >= 200 && status < 300) {
        return Optional.empty();
      }
      if (status == 429) {
        Duration wait = retryAfter(response);
        if (wait.compareTo(LONGEST_WAIT) > 0) {
          LOG.warn("discord interaction {}: rate limited for {}, dropped", interactionId, wait);
          return Optional.empty();
        }
        return Optional.of(wait);
      }
      if (status >= 500 || (status == 404 && message.original())) {
        // A 404 on @original: Discord may not have taken the deferred answer yet.
        LOG.warn("discord interaction {}: answered {}, retrying", interactionId, status);
        return Optional.of(Duration.ofSeconds(1));
      }
      LOG.warn("discord interaction {}: answered {}, message dropped", interactionId, status);
      return Optional.empty();
    }
  }

  /**
   * Discord's wait: {@code retry_after} in the JSON body (seconds, decimal), else the {@code
   * Retry-After} header, else one second.
   */
  static Duration retryAfter(HttpResponse<String> response) {
    Optional<String> fromBody = Optional.empty();
    try {
      JsonNode body = DiscordMessages.JSON.readTree(response.body());
      if (body != null && body.path("retry_after").isNumber()) {
        fromBody = Optional.of(body.path("retry_after").decimalValue().toPlainString());
      }
    } catch (JacksonException notJson) {
      // the header then
    }
    return fromBody
        .or(() -> response.headers().firstValue("Retry-After"))
        .flatMap(DiscordWebhooks::seconds)
        .orElse(Duration.ofSeconds(1));
  }

  private static Optional<Duration> seconds(String value) {
    try {
      BigDecimal seconds = new BigDecimal(value.strip());
      if (seconds.signum() < 0 || seconds.compareTo(BigDecimal.valueOf(86_400)) > 0) {
        return Optional.empty();
      }
      return Optional.of(Duration.ofMillis(seconds.movePointRight(3).longValue()));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private record Message(boolean original, String json) {}

  /** Stops sending: waiting messages are dropped, requests under way are cut. */
  @Override
  public void close() {
    threads.shutdownNow();
    try {
      if (!threads.awaitTermination(5, TimeUnit.SECONDS)) {
        LOG.warn("discord follow-ups still under way after 5 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    http.shutdownNow(); // close() would wait for a hanging request to reach its deadline
  }
}
