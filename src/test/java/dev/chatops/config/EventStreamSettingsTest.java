package dev.chatops.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code server.max_event_streams}, {@code ..._per_key} and {@code event_stream_lifetime}. */
class EventStreamSettingsTest {

  @TempDir Path dir;
  ConfigFixture fixture;

  @BeforeEach
  void fixture() {
    fixture = new ConfigFixture(dir);
  }

  @Test
  void theDefaultsAre256StreamsSixteenPerKeyForAnHourEach() {
    Server server = ConfigFixture.loaded(fixture.loadWithoutFile()).server();

    assertThat(server.maxEventStreams()).isEqualTo(256);
    assertThat(server.maxEventStreamsPerKey()).isEqualTo(16);
    assertThat(server.eventStreamLifetime()).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void theFileSetsThem() {
    Server server =
        fixture
            .config(
                "server: {max_event_streams: 40, max_event_streams_per_key: 4,"
                    + " event_stream_lifetime: 15m}\n")
            .server();

    assertThat(server.maxEventStreams()).isEqualTo(40);
    assertThat(server.maxEventStreamsPerKey()).isEqualTo(4);
    assertThat(server.eventStreamLifetime()).isEqualTo(Duration.ofMinutes(15));
  }

  @Test
  void theEnvironmentSetsThem() {
    fixture
        .env("CHATOPS_SERVER_MAX_EVENT_STREAMS", "12")
        .env("CHATOPS_SERVER_MAX_EVENT_STREAMS_PER_KEY", "3")
        .env("CHATOPS_SERVER_EVENT_STREAM_LIFETIME", "2h");

    Server server = ConfigFixture.loaded(fixture.loadWithoutFile()).server();

    assertThat(server.maxEventStreams()).isEqualTo(12);
    assertThat(server.maxEventStreamsPerKey()).isEqualTo(3);
    assertThat(server.eventStreamLifetime()).isEqualTo(Duration.ofHours(2));
  }

  @ParameterizedTest(name = "[{index}] {0} -> {1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      textBlock =
          """
          server: {max_event_streams: 0}            | 1:29: error: server.max_event_streams: must be from 1 to 100000 (found 0)
          server: {max_event_streams: x}            | 1:29: error: server.max_event_streams: must be an integer (found a string)
          server: {max_event_streams_per_key: 0}    | 1:37: error: server.max_event_streams_per_key: must be from 1 to 100000 (found 0)
          server: {event_stream_lifetime: 10s}      | 1:33: error: server.event_stream_lifetime: must be a duration from 1m to 24h such as 30m or 1h (found '10s')
          server: {event_stream_lifetime: 2d}       | 1:33: error: server.event_stream_lifetime: must be a duration from 1m to 24h such as 30m or 1h (found '2d')
          """)
  void badValuesNameTheKey(String yaml, String expected) {
    assertThat(fixture.problems(yaml + "\n")).containsExactly("chatops.yaml:" + expected);
  }
}
