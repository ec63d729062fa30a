package dev.chatops.http;

import dev.chatops.store.ExecutionRecord;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import java.util.Objects;

/**
 * The way into the open event streams ({@link EventStreams}) for every route that streams an
 * execution (the API's JSON events, the dashboard's HTML fragments), in three steps that share one
 * cap, one sweeper and one set of key checks: {@link #open} before the response starts (after the
 * route's own checks of the caller and the execution), {@link #start} in the SSE handler, and
 * {@link #releaseUnstarted} after every request, which frees a place taken for a stream that never
 * started.
 */
public final class EventFeeds {

  private static final String OPENING = "chatops.stream-opening";

  private final EventStreams streams;

  EventFeeds(EventStreams streams) {
    this.streams = Objects.requireNonNull(streams, "streams");
  }

  /**
   * Takes a place for a stream of {@code execution} followed by the key {@code key}, from the
   * request's {@code Last-Event-ID}: 400 when that is not an event id, 429 when the server or the
   * key has all the streams it may.
   */
  public void open(Context ctx, String key, ExecutionRecord execution, EventFormat format) {
    long lastEventId = lastEventId(ctx.header("Last-Event-ID"));
    EventStreams.Slot slot =
        streams
            .reserve(key)
            .orElseThrow(
                () ->
                    new Problems.ProblemException(
                        429,
                        "Too Many Requests",
                        "too many event streams are open; close one or retry later",
                        EventStreams.RETRY_AFTER_SECONDS));
    ctx.attribute(OPENING, new EventStreams.Opening(slot, key, execution, lastEventId, format));
  }

  /** Starts the stream {@link #open} admitted; a client it did not admit is hung up on. */
  public void start(SseClient client) {
    EventStreams.Opening opening = client.ctx().attribute(OPENING);
    if (opening == null) {
      client.close(); // not admitted: cannot happen for a GET
      return;
    }
    streams.start(client, opening);
  }

  /** A place taken for a stream that never started (the request failed on the way) is freed. */
  public void releaseUnstarted(Context ctx) {
    EventStreams.Opening opening = ctx.attribute(OPENING);
    if (opening != null) {
      opening.slot().release();
    }
  }

  private static long lastEventId(String header) {
    if (header == null || header.isBlank()) {
      return 0;
    }
    String text = header.strip();
    if (text.length() > 18 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw Problems.badRequest("Last-Event-ID must be the id of an event of this stream");
    }
    return Long.parseLong(text);
  }
}
