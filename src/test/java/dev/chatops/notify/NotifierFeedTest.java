package dev.chatops.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.chatops.config.NotifyChannel;
import dev.chatops.config.Secret;
import dev.chatops.notify.fake.FakeService;
import dev.chatops.notify.fake.SlackFake;
import dev.chatops.store.AuditEntry;
import dev.chatops.store.AuditKind;
import dev.chatops.store.Outbox;
import dev.chatops.store.jdbc.SqliteStore;
import dev.chatops.testing.TestClock;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@link Feed} beside the notice channels, through a real SQLite outbox: its router sees every
 * record in the same transaction as the notice router, and the dispatcher delivers its messages
 * with its own format, which reads the JSON the router wrote (no notice in it).
 */
class NotifierFeedTest {

  @TempDir Path dir;
  private final TestClock clock = new TestClock(Instant.parse("2026-11-30T04:00:00Z"));
  private SlackFake slack;
  private SqliteStore store;
  private Notifier notifier;

  @BeforeEach
  void setUp() {
    slack = SlackFake.start();
    store = SqliteStore.open(dir.resolve("chatops.db"), clock);
  }

  @AfterEach
  void tearDown() {
    if (notifier != null) {
      notifier.close(Duration.ofSeconds(2));
    }
    store.close();
    slack.close();
  }

  private NotifyChannel channel(String name) {
    return new NotifyChannel(
        name,
        NotifyChannel.Type.SLACK,
        Secret.of(slack.webhookUrl().toString()),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Set.of("service_started"),
        Duration.ofSeconds(5));
  }

  /** Copies each record's kind and number to Slack as plain text: no notice involved. */
  private Feed feed(String name) {
    Outbox.Router router =
        (record, lookup) ->
            List.of(
                new Outbox.Message(
                    name,
                    "copy",
                    "{\"copy\":\"" + record.entry().kind().key() + " " + record.seq() + "\"}"));
    URI url = slack.webhookUrl();
    OutboxFormat format =
        new OutboxFormat() {
          @Override
          public HttpCall request(Outbox.Message message, long itemId) {
            if (!message.notice().startsWith("{\"copy\":")) {
              throw new Unreadable("not a copy");
            }
            String text = message.notice().substring(9, message.notice().length() - 2);
            return new HttpCall(
                "POST",
                url,
                List.of(Map.entry("Content-Type", "application/json")),
                "{\"text\":\"" + text + "\"}");
          }

          @Override
          public Answer answer(int status, HttpHeaders headers, String body) {
            return status == 200
                ? new Answer.Delivered(status)
                : new Answer.Refused("answered " + status);
          }
        };
    return new Feed(name, Duration.ofSeconds(5), router, format);
  }

  private void started() {
    store
        .audit()
        .append(
            new AuditEntry(
                clock.instant(),
                AuditKind.SERVICE_STARTED,
                "system",
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                "{\"port\":8080}"));
  }

  private List<String> texts() {
    return slack.received().stream().map(FakeService.Received::body).toList();
  }

  @Test
  void aRecordReachesTheChannelsAndTheFeedInItsOwnTransaction() {
    notifier =
        Notifier.start(
            store.outbox(),
            List.of(channel("slack")),
            List.of(feed("copies")),
            Optional.empty(),
            clock);

    started();

    await().atMost(Duration.ofSeconds(20)).until(() -> slack.received().size() == 2);
    assertThat(slack.violations()).isEmpty();
    assertThat(texts())
        .anySatisfy(body -> assertThat(body).isEqualTo("{\"text\":\"service.started 1\"}"));
    assertThat(texts()).anySatisfy(body -> assertThat(body).contains("blocks"));
    assertThat(
            store.outbox().list(Optional.empty(), 10).stream()
                .map(item -> item.message().channel() + " " + item.auditSeq().orElse(0L))
                .toList())
        .containsExactlyInAnyOrder("slack 1", "copies 1");
  }

  @Test
  void aFeedAloneIsRoutedAndDelivered() {
    notifier =
        Notifier.start(store.outbox(), List.of(), List.of(feed("copies")), Optional.empty(), clock);

    started();

    await().atMost(Duration.ofSeconds(20)).until(() -> slack.received().size() == 1);
    assertThat(texts()).containsExactly("{\"text\":\"service.started 1\"}");
  }

  @Test
  void aFeedNamedAsAChannelIsRefusedBeforeAnythingIsRouted() {
    assertThatThrownBy(
            () ->
                Notifier.start(
                    store.outbox(),
                    List.of(channel("slack")),
                    List.of(feed("slack")),
                    Optional.empty(),
                    clock))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("two channels are named slack");

    started();

    assertThat(store.outbox().counts().get(Outbox.State.PENDING)).isZero();
  }

  @Test
  void routingOnlyEnqueuesTheFeedsMessagesForTheService() {
    Notifier.route(store.outbox(), List.of(), List.of(feed("copies")), Optional.empty(), clock);

    started();

    assertThat(store.outbox().list(Optional.of(Outbox.State.PENDING), 10))
        .singleElement()
        .satisfies(item -> assertThat(item.message().channel()).isEqualTo("copies"));
    assertThat(slack.received()).isEmpty();
  }

  @Test
  void aMessageItsFormatCannotReadIsDeadLetteredAtOnce() {
    Feed copies = feed("copies");
    Feed broken =
        new Feed(
            "copies",
            copies.timeout(),
            (record, lookup) -> List.of(new Outbox.Message("copies", "copy", "garbage")),
            copies.format());
    notifier = Notifier.start(store.outbox(), List.of(), List.of(broken), Optional.empty(), clock);

    started();

    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> store.outbox().counts().get(Outbox.State.DEAD) == 1);
    assertThat(store.outbox().list(Optional.of(Outbox.State.DEAD), 1).getFirst().lastError())
        .contains("not a copy");
    assertThat(slack.received()).isEmpty();
  }
}
