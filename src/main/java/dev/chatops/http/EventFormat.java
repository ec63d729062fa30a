package dev.chatops.http;

import dev.chatops.engine.ExecutionEvents;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import tools.jackson.databind.node.ObjectNode;

/**
 * How an execution's event stream is written: JSON for the API ({@link #JSON}), HTML fragments for
 * the dashboard. The streams ({@link EventStreams}) decide what is sent and when; a format only
 * says how each event looks on the wire, so both follow the same caps, key checks and executions
 * run elsewhere.
 */
public interface EventFormat {

  /**
   * One server-sent event.
   *
   * @param id the event's id, for a client that reconnects with {@code Last-Event-ID}
   */
  record Sent(String event, String data, Optional<String> id) {
    public Sent {
      Objects.requireNonNull(event, "event");
      Objects.requireNonNull(data, "data");
      Objects.requireNonNull(id, "id");
    }
  }

  /** What to send for an event the execution published here (its sequence is its id). */
  List<Sent> published(ExecutionEvents.Event event);

  /**
   * What to send for an event the server makes: {@code status} and {@code approval} (read from the
   * store), {@code end}, {@code closed} (with its {@code reason}).
   */
  List<Sent> made(String type, Map<String, Object> data);

  /** The API's events: the event's data as a JSON object, with {@code at}. */
  EventFormat JSON =
      new EventFormat() {
        @Override
        public List<Sent> published(ExecutionEvents.Event event) {
          ObjectNode data = ExecutionJson.JSON.valueToTree(event.data());
          data.put("at", event.at().toString());
          return List.of(
              new Sent(
                  event.type(), data.toString(), Optional.of(Long.toString(event.sequence()))));
        }

        @Override
        public List<Sent> made(String type, Map<String, Object> data) {
          return List.of(
              new Sent(type, ExecutionJson.JSON.valueToTree(data).toString(), Optional.empty()));
        }
      };
}
