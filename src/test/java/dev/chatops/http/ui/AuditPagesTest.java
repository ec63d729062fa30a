package dev.chatops.http.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chatops.store.AuditTrail;
import dev.chatops.testing.LiveService;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit page on a real server and store: the head, the newest records, verification. */
class AuditPagesTest {

  @TempDir Path tmp;
  LiveService live;

  @BeforeEach
  void start() throws Exception {
    live =
        new LiveService(
            tmp,
            "",
            Map.of(),
            IntentPagesTest.INTENTS,
            List.of("livea", "liveb"),
            UnaryOperator.identity());
  }

  @AfterEach
  void stop() {
    live.close();
  }

  @Test
  void showsTheHeadAndTheNewestRecords() {
    SignedIn alice = SignedIn.admin(live, "alice");
    assertThat(alice.post("/ui/intents/restart-a/dry-run").statusCode()).isEqualTo(303);
    AuditTrail.Head head = live.store.audit().head();
    String page = alice.get("/ui/audit").body();
    assertThat(page)
        .contains("<dd class=\"mono\">" + head.seq() + "</dd>")
        .contains(head.hash())
        .contains("<code>trigger.accepted</code>")
        .contains("<code>service.started</code>")
        .contains("Not verified since the service started");
  }

  @Test
  void verifiesTheChainWhenAskedAndShowsTheResult() {
    SignedIn alice = SignedIn.admin(live, "alice");
    assertThat(alice.postRaw("/ui/audit/verify").statusCode()).isEqualTo(403);
    assertThat(alice.get("/ui/audit").body()).contains("Not verified");
    HttpResponse<String> verified = alice.post("/ui/audit/verify");
    assertThat(verified.statusCode()).isEqualTo(303);
    assertThat(verified.headers().firstValue("Location")).hasValue("/ui/audit");
    long records = live.store.audit().verify().records();
    assertThat(alice.get("/ui/audit").body())
        .contains("<span class=\"status status-succeeded\">intact</span>: ")
        .containsPattern("[0-9]+ record\\(s\\) checked")
        .doesNotContain("Not verified");
    assertThat(records).isPositive();
  }

  @Test
  void aKeyOfSomeIntentsSeesTheirRecordsOnly() {
    SignedIn alice = SignedIn.admin(live, "alice");
    alice.post("/ui/intents/restart-a/dry-run");
    alice.post("/ui/intents/scale-a/dry-run");
    String page =
        SignedIn.as(live, "some", List.of("scale-*"), List.of(), true).get("/ui/audit").body();
    assertThat(page)
        .contains("Records of the intents your key may see")
        .contains("<td>scale-a")
        .doesNotContain("<td>restart-a", "service.started");
  }

  @Test
  void showsHtmlInARecordAsText() {
    SignedIn alice = SignedIn.admin(live, "alice");
    // A dry run, audited with its parameters.
    alice.post("/ui/intents/scale-a/dry-run", "param.replicas", "1", "param.service", "<script>x");
    String page = alice.get("/ui/audit").body();
    assertThat(page).contains("&lt;script&gt;x").doesNotContain("<script>x");
  }
}
