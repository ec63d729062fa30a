package dev.chatops.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chatops.config.NotifyChannel;
import dev.chatops.notify.fake.FakeService;
import dev.chatops.notify.fake.FakeService.Reply;
import dev.chatops.notify.fake.GotifyFake;
import dev.chatops.notify.fake.NtfyFake;
import dev.chatops.notify.fake.WebhookFake;
import dev.chatops.testing.TestClock;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each format's requests sent for real with the JDK client to the fake of its service, which checks
 * them against the service's documentation; its answers read back by the format.
 */
class HookSendTest {

  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final String SECRET = "whsec-3b1f0c9e7d";
  private static final String NTFY_TOKEN = "tk_AgQdq7mVBoFD37zQVN29RhuMzNIz2";

  private final TestClock clock = new TestClock();

  @AfterAll
  static void closeClient() {
    CLIENT.close();
  }

  /** One service and the format of a channel configured for it. */
  private record Target(FakeService fake, ChannelFormat format) implements AutoCloseable {
    @Override
    public void close() {
      fake.close();
    }
  }

  private Target target(String service) {
    return switch (service) {
      case "ntfy" -> {
        NtfyFake fake = NtfyFake.withToken(0, NTFY_TOKEN);
        yield new Target(
            fake,
            new NtfyFormat(
                HookNotices.channel(
                    NotifyChannel.Type.NTFY,
                    fake.topicUrl().toString(),
                    Optional.of(NTFY_TOKEN),
                    Optional.empty())));
      }
      case "gotify" -> {
        GotifyFake fake = GotifyFake.start();
        yield new Target(
            fake,
            new GotifyFormat(
                HookNotices.channel(
                    NotifyChannel.Type.GOTIFY,
                    fake.serverUrl().toString(),
                    Optional.of(GotifyFake.APP_TOKEN),
                    Optional.empty())));
      }
      case "webhook" -> {
        WebhookFake fake = WebhookFake.start(0, SECRET, clock);
        yield new Target(fake, webhook(fake, Optional.of(SECRET)));
      }
      default -> throw new IllegalArgumentException(service);
    };
  }

  private WebhookFormat webhook(WebhookFake fake, Optional<String> secret) {
    return new WebhookFormat(
        HookNotices.channel(
            NotifyChannel.Type.WEBHOOK, fake.hookUrl().toString(), Optional.empty(), secret),
        clock);
  }

  private static Answer send(Target target, HttpCall call) throws Exception {
    HttpResponse<String> response = HookNotices.send(CLIENT, call);
    return target.format().answer(response.statusCode(), response.headers(), response.body());
  }

  @ParameterizedTest
  @ValueSource(strings = {"ntfy", "gotify", "webhook"})
  void everyEventArrivesOnceAsTheServiceDocumentsIt(String service) throws Exception {
    try (Target target = target(service)) {
      for (Event event : Event.values()) {
        Answer answer =
            send(target, target.format().request(HookNotices.of(event), "d-" + event.key()));

        assertThat(answer).as(event.key()).isInstanceOf(Answer.Delivered.class);
      }

      assertThat(target.fake().violations()).isEmpty();
      assertThat(target.fake().received()).hasSize(Event.values().length);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"ntfy", "gotify", "webhook"})
  void hostileNoticesStillArriveWithinTheServicesRules(String service) throws Exception {
    List<Notice> hostile =
        List.of(
            HookNotices.notice(
                Event.EXECUTION_FAILED,
                "Failed\r\nX-Injected: 1\u0000",
                "\"\\".repeat(30_000),
                List.of(new Notice.Field("Actor\r\n", "a\u202Eb")),
                Optional.of("🚀".repeat(50_000))),
            HookNotices.notice(
                Event.AUTH_FAILURE,
                "🚀".repeat(5000),
                "\n".repeat(9000),
                List.of(),
                Optional.empty()),
            HookNotices.notice(Event.TEST, "", "", List.of(), Optional.of("\u0000\u0001")));
    try (Target target = target(service)) {
      for (Notice notice : hostile) {
        assertThat(
                send(
                    target,
                    target.format().request(notice, "d-hostile-" + notice.title().length())))
            .isInstanceOf(Answer.Delivered.class);
      }

      assertThat(target.fake().violations()).isEmpty();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"ntfy", "gotify", "webhook"})
  void theServicesFailuresAreReadAsRetriesAndRefusals(String service) throws Exception {
    try (Target target = target(service)) {
      target
          .fake()
          .script(
              new Reply.RateLimited(Duration.ofSeconds(7)),
              new Reply.ServerError(),
              new Reply.BadCredentials());
      Function<Event, HttpCall> call =
          event -> target.format().request(HookNotices.of(event), "d-" + event.key());

      Answer limited = send(target, call.apply(Event.EXECUTION_FAILED));
      Answer failed = send(target, call.apply(Event.EXECUTION_FAILED));
      Answer refused = send(target, call.apply(Event.EXECUTION_FAILED));
      Answer delivered = send(target, call.apply(Event.EXECUTION_FAILED));

      assertThat(limited).isInstanceOf(Answer.Retry.class);
      // ntfy sends no Retry-After; Gotify's proxy and the receiver do
      assertThat(((Answer.Retry) limited).after())
          .isEqualTo(
              service.equals("ntfy") ? Optional.empty() : Optional.of(Duration.ofSeconds(7)));
      assertThat(failed).isInstanceOf(Answer.Retry.class);
      assertThat(refused).isInstanceOf(Answer.Refused.class);
      assertThat(delivered).isInstanceOf(Answer.Delivered.class);
      assertThat(List.of(limited, failed, refused).toString())
          .doesNotContain(SECRET)
          .doesNotContain(NTFY_TOKEN)
          .doesNotContain(GotifyFake.APP_TOKEN)
          .doesNotContain(NtfyFake.TOPIC);
      assertThat(target.fake().violations()).isEmpty();
    }
  }

  @Test
  void ntfyRefusesAWrongTokenAsNtfyDoes() throws Exception {
    try (NtfyFake fake = NtfyFake.withToken(0, NTFY_TOKEN)) {
      NtfyFormat format =
          new NtfyFormat(
              HookNotices.channel(
                  NotifyChannel.Type.NTFY,
                  fake.topicUrl().toString(),
                  Optional.of("tk_wrong"),
                  Optional.empty()));
      Target target = new Target(fake, format);

      assertThat(send(target, format.request(HookNotices.of(Event.TEST), "d")))
          .isEqualTo(new Answer.Refused("ntfy answered 401: unauthorized (40101)"));
      assertThat(fake.violations()).hasSize(1);
    }
  }

  @Test
  void gotifyRefusesAWrongTokenAsGotifyDoes() throws Exception {
    try (GotifyFake fake = GotifyFake.start()) {
      GotifyFormat format =
          new GotifyFormat(
              HookNotices.channel(
                  NotifyChannel.Type.GOTIFY,
                  fake.serverUrl().toString(),
                  Optional.of("Awrong"),
                  Optional.empty()));

      assertThat(send(new Target(fake, format), format.request(HookNotices.of(Event.TEST), "d")))
          .isEqualTo(
              new Answer.Refused(
                  "Gotify answered 401: you need to provide a valid access token or user"
                      + " credentials to access this api"));
    }
  }

  @Test
  void aReceiverRefusesAWrongSecretAStaleTimestampAndAnUnsignedRequest() throws Exception {
    try (WebhookFake fake = WebhookFake.start(0, SECRET, clock)) {
      Notice notice = HookNotices.of(Event.EXECUTION_FAILED);
      Target forged = new Target(fake, webhook(fake, Optional.of("not-the-secret")));
      Target unsigned = new Target(fake, webhook(fake, Optional.empty()));
      Target stale =
          new Target(
              fake,
              new WebhookFormat(
                  HookNotices.channel(
                      NotifyChannel.Type.WEBHOOK,
                      fake.hookUrl().toString(),
                      Optional.empty(),
                      Optional.of(SECRET)),
                  () -> clock.instant().minus(Duration.ofMinutes(6))));

      assertThat(send(forged, forged.format().request(notice, "d-1")))
          .isEqualTo(new Answer.Refused("the receiver answered 401: bad signature"));
      assertThat(send(unsigned, unsigned.format().request(notice, "d-1")))
          .isInstanceOf(Answer.Refused.class);
      assertThat(send(stale, stale.format().request(notice, "d-1")))
          .isInstanceOf(Answer.Refused.class);

      assertThat(fake.received()).isEmpty();
      assertThat(fake.violations()).hasSize(3);
    }
  }

  @Test
  void aRetriedDeliveryIsSignedAgainAndAReceiverSeesASecondCopyAsADuplicate() throws Exception {
    try (WebhookFake fake = WebhookFake.start(0, SECRET, clock)) {
      Target target = new Target(fake, webhook(fake, Optional.of(SECRET)));
      Notice notice = HookNotices.of(Event.ROLLED_BACK);
      fake.script(new Reply.ServerError());

      Answer first = send(target, target.format().request(notice, "42-audit-9"));
      clock.advance(Duration.ofMinutes(30)); // later than the window: only a fresh stamp passes
      Answer retry = send(target, target.format().request(notice, "42-audit-9"));

      assertThat(first).isInstanceOf(Answer.Retry.class);
      assertThat(retry).isEqualTo(new Answer.Delivered(204));
      assertThat(fake.duplicates()).isEmpty();

      send(target, target.format().request(notice, "42-audit-9"));

      assertThat(fake.duplicates()).containsExactly("42-audit-9");
      assertThat(fake.violations()).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = Event.class,
      names = {"EXECUTION_FAILED", "SERVICE_STARTED"})
  void anUnsignedChannelReachesAnUnsignedReceiver(Event event) throws Exception {
    try (WebhookFake fake = WebhookFake.startUnsigned(0, clock)) {
      Target target = new Target(fake, webhook(fake, Optional.empty()));

      assertThat(send(target, target.format().request(HookNotices.of(event), "d-1")))
          .isEqualTo(new Answer.Delivered(204));
      assertThat(fake.violations()).isEmpty();
    }
  }
}
