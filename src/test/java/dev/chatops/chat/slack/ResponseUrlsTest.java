package dev.chatops.chat.slack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chatops.chat.ChatReply;
import dev.chatops.notify.fake.FakeService.Reply;
import dev.chatops.testing.TestClock;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

class ResponseUrlsTest {

  private final TestClock clock = new TestClock();
  private final List<Duration> pauses = Collections.synchronizedList(new ArrayList<>());
  private final ResponseUrlFake slack = ResponseUrlFake.start();
  private final ResponseUrls urls = new ResponseUrls(clock, Duration.ofSeconds(10), pauses::add);

  @AfterEach
  void close() {
    urls.close();
    slack.close();
  }

  private static ChatReply reply(String title) {
    return ChatReply.note(ChatReply.Tone.INFO, title, "");
  }

  private static List<String> titles(List<JsonNode> messages) {
    return messages.stream().map(message -> message.path("text").asString()).toList();
  }

  static void await(BooleanSupplier condition) {
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(condition::getAsBoolean);
  }

  @Test
  void followUpsArriveInOrderAsNewMessages() {
    URI url = slack.url("1");
    ResponseUrls.Queue queue = urls.open(url, clock.instant());
    queue.send(reply("started"));
    queue.send(reply("step 1"));
    queue.send(reply("succeeded"));

    await(() -> slack.messages(url).size() == 3);
    assertThat(titles(slack.messages(url))).containsExactly("started", "step 1", "succeeded");
    assertThat(slack.messages(url))
        .allSatisfy(message -> assertThat(message.path("replace_original").asBoolean()).isFalse());
    assertThat(slack.violations()).isEmpty();
  }

  @Test
  void atMostFivePostsGoToOneResponseUrl() {
    URI url = slack.url("2");
    ResponseUrls.Queue queue = urls.open(url, clock.instant());
    for (int i = 1; i <= 7; i++) {
      queue.send(reply("message " + i));
    }
    await(() -> !queue.sending());
    assertThat(titles(slack.messages(url)))
        .containsExactly("message 1", "message 2", "message 3", "message 4", "message 5");
  }

  @Test
  void anExpiredUrlDropsEverythingAfterIt() {
    slack.script(new Reply.BadCredentials());
    URI url = slack.url("3");
    ResponseUrls.Queue queue = urls.open(url, clock.instant());
    queue.send(reply("first"));
    queue.send(reply("second"));
    await(() -> !queue.sending());
    queue.send(reply("third"));
    await(() -> !queue.sending());

    assertThat(titles(slack.messages(url))).containsExactly("first");
  }

  @Test
  void aUrlOlderThanThirtyMinutesIsNotUsed() {
    URI url = slack.url("4");
    ResponseUrls.Queue queue = urls.open(url, clock.instant());
    clock.advance(ResponseUrls.LIFETIME);
    queue.send(reply("too late"));
    await(() -> !queue.sending());
    ResponseUrls.Queue fresh = urls.open(url, clock.instant());
    fresh.send(reply("in time"));
    await(() -> slack.messages(url).size() == 1);
    assertThat(titles(slack.messages(url))).containsExactly("in time");
  }

  @Test
  void a429IsRetriedAfterItsRetryAfter() {
    slack.script(ResponseUrlFake.rateLimited(Duration.ofSeconds(7)));
    URI url = slack.url("5");
    ResponseUrls.Queue queue = urls.open(url, clock.instant());
    queue.send(reply("retried"));
    await(() -> !queue.sending());

    assertThat(pauses).containsExactly(Duration.ofSeconds(7));
    assertThat(titles(slack.messages(url))).containsExactly("retried", "retried");
  }

  @Test
  void a429ThatLastsIsGivenUpAfterThreeTriesAndTheNextMessageStillGoes() {
    Reply limited = ResponseUrlFake.rateLimited(Duration.ofSeconds(2));
    slack.script(limited, limited, limited);
    URI url = slack.url("6");
    ResponseUrls.Queue queue = urls.open(url, clock.instant());
    queue.send(reply("limited"));
    queue.send(reply("next"));
    await(() -> !queue.sending());

    assertThat(pauses).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(2));
    assertThat(titles(slack.messages(url)))
        .containsExactly("limited", "limited", "limited", "next");
  }

  @Test
  void aRetryAfterBeyondTwoMinutesDropsTheMessageWithoutWaiting() {
    slack.script(ResponseUrlFake.rateLimited(Duration.ofMinutes(10)));
    URI url = slack.url("7");
    ResponseUrls.Queue queue = urls.open(url, clock.instant());
    queue.send(reply("dropped"));
    queue.send(reply("sent"));
    await(() -> !queue.sending());

    assertThat(pauses).isEmpty();
    assertThat(titles(slack.messages(url))).containsExactly("dropped", "sent");
  }

  @Test
  void aHangingUrlDelaysNeitherTheSenderNorAnotherCommandsFollowUps() {
    try (ResponseUrlFake hanging = ResponseUrlFake.start()) {
      hanging.script(new Reply.Hang());
      ResponseUrls.Queue stuck = urls.open(hanging.url("8"), clock.instant());
      long before = System.nanoTime();
      stuck.send(reply("hangs"));
      stuck.send(reply("waits behind it"));
      assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(1));

      URI other = slack.url("9");
      urls.open(other, clock.instant()).send(reply("not delayed"));
      long sent = System.nanoTime();
      await(() -> slack.messages(other).size() == 1);
      // The other URL's timeout is 10 s: this came long before it could have passed.
      assertThat(Duration.ofNanos(System.nanoTime() - sent)).isLessThan(Duration.ofSeconds(5));
      assertThat(stuck.sending()).isTrue();
    }
  }

  @Test
  void aHangIsGivenUpAfterTheTimeoutAndTheQueueGoesOn() {
    try (ResponseUrlFake hanging = ResponseUrlFake.start();
        ResponseUrls quick = new ResponseUrls(clock, Duration.ofMillis(300), pauses::add)) {
      hanging.script(new Reply.Hang());
      URI url = hanging.url("10");
      ResponseUrls.Queue queue = quick.open(url, clock.instant());
      queue.send(reply("hangs"));
      queue.send(reply("after the timeout"));
      await(() -> hanging.messages(url).size() == 1);
      assertThat(titles(hanging.messages(url))).containsExactly("after the timeout");
    }
  }

  @Test
  void closingStopsAHangingPostAtOnce() {
    try (ResponseUrlFake hanging = ResponseUrlFake.start()) {
      hanging.script(new Reply.Hang());
      ResponseUrls own = new ResponseUrls(clock, Duration.ofSeconds(10), pauses::add);
      ResponseUrls.Queue queue = own.open(hanging.url("11"), clock.instant());
      queue.send(reply("hangs"));
      await(queue::sending);
      long before = System.nanoTime();
      own.close();
      assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(5));
      queue.send(reply("after close")); // dropped, never thrown
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://hooks.slack.com/commands/T1/2/abc",
        "http://127.0.0.1:8080/commands/T1/2/abc",
        "http://localhost:1/x"
      })
  void responseUrlsThatMayBeUsed(String url) {
    assertThat(ResponseUrls.address(url)).contains(URI.create(url));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://hooks.slack.com/commands/T1/2/abc",
        "http://10.0.0.1/commands",
        "http://localhost.evil.example/x",
        "http://127.0.0.1.evil.example/x",
        "ftp://hooks.slack.com/x",
        "file:///etc/passwd",
        "https://user:pass@hooks.slack.com/x",
        "https://hooks.slack.com/x#frag",
        "/commands/T1/2/abc",
        "https://hooks.slack.com/a b",
        "https://hooks.slack.com/a\nb",
        ""
      })
  void responseUrlsThatMayNot(String url) {
    assertThat(ResponseUrls.address(url)).isEmpty();
  }

  @Test
  void theAddressIsNeverLookedUpForANameOtherThanLoopbacks() {
    assertThat(ResponseUrls.address("http://[::1]:9/x")).isPresent();
    assertThat(ResponseUrls.address("https://" + "a".repeat(2_000) + ".example")).isEmpty();
  }
}
