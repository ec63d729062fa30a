package dev.chatops.chat.slack;

import dev.chatops.chat.ChatReply;
import dev.chatops.chat.FollowUp;
import dev.chatops.notify.SlackFormat;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the later messages of a Slack command through its {@code response_url}: one queue per
 * command, drained in order by a virtual thread of its own while it holds messages, so that a
 * response_url that hangs or limits us delays only its own messages, never a deployment nor another
 * user's. Slack takes at most {@link #MAX_POSTS} posts per response_url within {@link #LIFETIME};
 * later ones are dropped here (logged), as are all once Slack says the URL expired. Each post has
 * {@code timeout} to be answered; a 429 is retried after its {@code Retry-After}.
 *
 * <p>A response_url is a capability (anyone holding it may post to the channel): it is never
 * logged.
 */
public final class ResponseUrls implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ResponseUrls.class);

  /** Slack's limit of posts to one response_url. */
  public static final int MAX_POSTS = 5;

  /** How long Slack keeps a response_url valid. */
  public static final Duration LIFETIME = Duration.ofMinutes(30);

  /** How long a post may take to be answered: a response_url that hangs is given up. */
  public static final Duration TIMEOUT = Duration.ofSeconds(10);

  /** Tries of one message that Slack answers 429. */
  static final int ATTEMPTS = 3;

  /** The longest Retry-After honoured: beyond it the message is dropped. */
  static final Duration LONGEST_WAIT = Duration.ofMinutes(2);

  private static final Pattern ERROR_CODE = Pattern.compile("[a-z_]{1,64}");

  /** How a 429 waits: {@link Thread#sleep(Duration)}, or a test's recording. */
  @FunctionalInterface
  public interface Pause {
    void pause(Duration duration) throws InterruptedException;
  }

  private final HttpClient http;
  private final InstantSource clock;
  private final Duration timeout;
  private final Pause pause;
  private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

  public ResponseUrls(InstantSource clock, Duration timeout, Pause pause) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.pause = Objects.requireNonNull(pause, "pause");
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /** As Slack needs it: {@link #TIMEOUT}, real waits. */
  public static ResponseUrls start(InstantSource clock) {
    return new ResponseUrls(clock, TIMEOUT, Thread::sleep);
  }

  /**
   * {@code text} as a response_url this may post to: an absolute {@code https} address, or {@code
   * http} to a loopback address (a local stand-in); nothing else, whatever a request carries.
   */
  static Optional<URI> address(String text) {
    if (text.length() > 2_000 || !text.matches("[\\x21-\\x7e]+")) {
      return Optional.empty();
    }
    try {
      URI uri = new URI(text);
      if (uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
        return Optional.empty();
      }
      if ("https".equals(uri.getScheme())) {
        return Optional.of(uri);
      }
      return "http".equals(uri.getScheme()) && loopback(uri.getHost())
          ? Optional.of(uri)
          : Optional.empty();
    } catch (URISyntaxException e) {
      return Optional.empty();
    }
  }

  private static boolean loopback(String host) {
    if (!host.matches("127\\.[0-9.]+|\\[::1\\]|localhost")) {
      return false; // never a name lookup for a name that is not one of these
    }
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /** The follow-ups of one command, whose request came at {@code receivedAt}. */
  public Queue open(URI responseUrl, Instant receivedAt) {
    return new Queue(responseUrl, receivedAt.plus(LIFETIME));
  }

  /** Stops at once: a post under way is abandoned, queued ones are dropped. */
  @Override
  public void close() {
    threads.shutdownNow();
    try {
      if (!threads.awaitTermination(5, TimeUnit.SECONDS)) {
        LOG.warn("slack follow-ups still running after 5 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    http.shutdownNow();
  }

  /** The follow-ups of one command. */
  final class Queue implements FollowUp {

    private final URI uri;
    private final Instant expires;
    private final Deque<ChatReply> pending = new ArrayDeque<>(); // guarded by this
    private int taken; // guarded by this
    private boolean draining; // guarded by this
    private boolean expired; // guarded by this

    Queue(URI uri, Instant expires) {
      this.uri = uri;
      this.expires = expires;
    }

    @Override
    public void send(ChatReply reply) {
      Objects.requireNonNull(reply, "reply");
      synchronized (this) {
        if (expired || taken == MAX_POSTS || !clock.instant().isBefore(expires)) {
          LOG.info("slack follow-up dropped: its response_url is used up or expired");
          return;
        }
        taken++;
        pending.add(reply);
        if (draining) {
          return;
        }
        draining = true;
      }
      try {
        threads.execute(this::drain);
      } catch (RejectedExecutionException e) {
        LOG.info("slack follow-up dropped: the service is stopping");
      }
    }

    /** Whether a thread is sending this queue's messages (for tests: when it is done). */
    synchronized boolean sending() {
      return draining;
    }

    private void drain() {
      while (!Thread.currentThread().isInterrupted()) {
        ChatReply next;
        synchronized (this) {
          next = expired ? null : pending.poll();
          if (next == null) {
            pending.clear();
            draining = false;
            return;
          }
        }
        post(next);
      }
    }

    private void post(ChatReply reply) {
      // A new message each time: the command's own answer, or an approval request, stays.
      String json = BlockKit.message(reply).put("replace_original", false).toString();
      for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
        if (!clock.instant().isBefore(expires)) {
          expire("slack follow-up dropped: its response_url expired");
          return;
        }
        HttpRequest request =
            HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build();
        CompletableFuture<HttpResponse<String>> call =
            http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> response;
        try {
          response = call.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          call.cancel(true);
          Thread.currentThread().interrupt();
          return;
        } catch (TimeoutException e) {
          call.cancel(true);
          LOG.warn("slack follow-up dropped: its response_url did not answer within {}", timeout);
          return;
        } catch (ExecutionException e) {
          LOG.warn("slack follow-up dropped: {}", e.getCause().getClass().getSimpleName());
          return;
        }
        String said = response.body().strip();
        String code = ERROR_CODE.matcher(said).matches() ? said : "-";
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
          return;
        }
        if (status == 404 || status == 410 || code.equals("expired_url")) {
          expire("slack follow-ups dropped: the response_url answered " + status + " " + code);
          return;
        }
        if (status != 429 || attempt == ATTEMPTS) {
          LOG.warn("slack follow-up dropped: the response_url answered {} {}", status, code);
          return;
        }
        Duration wait = SlackFormat.retryAfter(response.headers()).orElse(Duration.ofSeconds(1));
        if (wait.compareTo(LONGEST_WAIT) > 0) {
          LOG.warn("slack follow-up dropped: slack asks to wait {}", wait);
          return;
        }
        try {
          pause.pause(wait);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }

    private void expire(String why) {
      LOG.info(why);
      synchronized (this) {
        expired = true;
        pending.clear();
      }
    }
  }
}
