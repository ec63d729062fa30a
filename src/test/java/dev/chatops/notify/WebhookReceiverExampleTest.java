package dev.chatops.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chatops.config.NotifyChannel;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The receiver example of docs/NOTIFY.md, run with python3 on a free loopback port: it takes what
 * {@link WebhookFormat} signs and refuses forged, stale and unsigned requests. The example checks
 * timestamps against the real clock, so the accepted requests are stamped with it too.
 */
class WebhookReceiverExampleTest {

  private static final Path EXAMPLE = Path.of("docs/examples/webhook_receiver.py");
  private static final String SECRET = "receiver-example-secret-9f2c";
  private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");

  @TempDir Path dir;

  private Process receiver;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private URI url;

  @BeforeEach
  void startTheExample() throws Exception {
    Path secretFile = dir.resolve("webhook-secret");
    Files.writeString(secretFile, SECRET + "\n");
    ProcessBuilder builder =
        new ProcessBuilder("python3", EXAMPLE.toString(), "--bind", "127.0.0.1", "--port", "0")
            .redirectError(dir.resolve("stderr.txt").toFile());
    builder.environment().put("CHATOPS_WEBHOOK_SECRET_FILE", secretFile.toString());
    receiver = builder.start();
    Thread.ofVirtual()
        .start(
            () -> {
              try (BufferedReader out =
                  new BufferedReader(
                      new InputStreamReader(receiver.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                  lines.add(line);
                }
              } catch (IOException e) {
                // the receiver was stopped
              }
            });
    String first = lines.poll(60, TimeUnit.SECONDS);
    assertThat(first).as("the example's first line (stderr in %s)", dir).isNotNull();
    Matcher listening = LISTENING.matcher(first);
    assertThat(listening.matches()).as(first).isTrue();
    url = URI.create("http://127.0.0.1:" + listening.group(1) + "/hooks/chatops");
  }

  @AfterEach
  void stopTheExample() throws InterruptedException {
    client.close();
    receiver.destroy();
    if (!receiver.waitFor(10, TimeUnit.SECONDS)) {
      receiver.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  private WebhookFormat format(Optional<String> secret, InstantSource clock) {
    return new WebhookFormat(
        HookNotices.channel(NotifyChannel.Type.WEBHOOK, url.toString(), Optional.empty(), secret),
        clock);
  }

  private HttpResponse<String> send(HttpCall call) throws Exception {
    return HookNotices.send(client, call);
  }

  @Test
  void aSignedNotificationIsTakenOnceAndItsCopyAcknowledged() throws Exception {
    WebhookFormat format = format(Optional.of(SECRET), InstantSource.system());
    HttpCall call = format.request(HookNotices.of(Event.EXECUTION_FAILED), "42-audit-7");

    HttpResponse<String> taken = send(call);
    HttpResponse<String> copy = send(call);

    assertThat(taken.statusCode()).isEqualTo(200);
    assertThat(format.answer(taken.statusCode(), taken.headers(), taken.body()))
        .isEqualTo(new Answer.Delivered(200));
    JsonNode handled = JsonMapper.builder().build().readTree(lines.poll(10, TimeUnit.SECONDS));
    assertThat(handled.path("id").asString()).isEqualTo("42-audit-7");
    assertThat(handled.path("event").asString()).isEqualTo("execution_failed");
    assertThat(copy.statusCode()).isEqualTo(200);
    assertThat(copy.body()).isEqualTo("duplicate\n");
    assertThat(lines.poll(500, TimeUnit.MILLISECONDS)).as("handled once only").isNull();
  }

  @Test
  void forgedTamperedStaleAndUnsignedRequestsAreRefused() throws Exception {
    Notice notice = HookNotices.of(Event.APPROVAL_REQUESTED);
    HttpCall genuine = format(Optional.of(SECRET), InstantSource.system()).request(notice, "d-1");
    HttpCall tampered =
        new HttpCall(
            genuine.method(),
            genuine.uri(),
            genuine.headers(),
            genuine.body().replace("approval_requested", "approval_approved"));
    HttpCall forged = format(Optional.of("a-guess"), InstantSource.system()).request(notice, "d-2");
    HttpCall stale =
        format(Optional.of(SECRET), () -> InstantSource.system().instant().minusSeconds(360))
            .request(notice, "d-3");
    HttpCall future =
        format(Optional.of(SECRET), () -> InstantSource.system().instant().plusSeconds(360))
            .request(notice, "d-4");
    HttpCall unsigned = format(Optional.empty(), InstantSource.system()).request(notice, "d-5");

    for (HttpCall call : new HttpCall[] {tampered, forged, stale, future, unsigned}) {
      HttpResponse<String> response = send(call);

      assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
    }
    assertThat(lines.poll(500, TimeUnit.MILLISECONDS)).as("nothing handled").isNull();
    assertThat(send(genuine).statusCode()).isEqualTo(200);
  }
}
