package dev.chatops.http.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chatops.store.ExecutionRecord;
import dev.chatops.store.ExecutionStatus;
import dev.chatops.testing.Browser;
import dev.chatops.testing.LiveService;
import dev.chatops.testing.RequiresDocker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The intents, stacks, approvals and audit pages in headless Chromium: a dry run and a live run
 * started from the intents page on a phone, an approval by a second user on a desktop, and every
 * page at both widths without sideways scrolling (screenshots under {@code target/screenshots/}).
 * One service and one browser per width for the class: a Chromium start costs about a second.
 */
@Tag("browser")
@RequiresDocker
class ActionPagesBrowserTest {

  static final String INTENTS =
      IntentPagesTest.INTENTS
          + """
          ---
          name: restart-b
          action: restart
          stack: liveb
          ---
          name: guarded
          action: restart
          stack: liveb
          require: {approvals: 1}
          """;

  static final List<String> PAGES =
      List.of("/ui/intents", "/ui/intents/scale-a", "/ui/stacks", "/ui/approvals", "/ui/audit");

  @TempDir static Path tmp;
  static LiveService live;
  static Browser phone;
  static Browser desktop;

  @BeforeAll
  static void start() throws Exception {
    live =
        new LiveService(
            Files.createDirectories(tmp.resolve("service")),
            "",
            Map.of(),
            INTENTS,
            List.of("livea", "liveb"),
            UnaryOperator.identity());
    phone = Browser.phone();
    desktop = Browser.desktop();
  }

  @AfterAll
  static void stop() {
    try {
      if (desktop != null) {
        desktop.close();
      }
      if (phone != null) {
        phone.close();
      }
    } finally {
      if (live != null) {
        live.close();
      }
    }
  }

  /** Signs {@code browser} in as {@code user}, replacing whoever was signed in. */
  private static void signIn(Browser browser, SignedIn user) {
    WebDriver driver = browser.driver();
    driver.get(live.uri("/ui/assets/chatops.css").toString());
    driver.manage().deleteAllCookies();
    driver.manage().addCookie(new Cookie(Dashboard.COOKIE, user.opened().cookie(), "/ui"));
  }

  private static WebDriverWait waitUpTo(Browser browser, int seconds) {
    return new WebDriverWait(browser.driver(), Duration.ofSeconds(seconds));
  }

  private static String executionIn(String url) {
    assertThat(url).contains("/ui/executions/");
    return url.substring(url.indexOf("/ui/executions/") + "/ui/executions/".length());
  }

  @Test
  void startsADryRunAndALiveRunFromTheIntentsPageOnAPhone() {
    signIn(phone, SignedIn.admin(live, "alice"));
    WebDriver driver = phone.driver();
    driver.get(live.uri("/ui/intents").toString());
    driver.findElement(By.linkText("restart-a")).click();
    waitUpTo(phone, 10).until(ExpectedConditions.urlContains("/ui/intents/restart-a"));
    new Select(driver.findElement(By.id("param-service"))).selectByValue("web");
    driver.findElement(By.id("dry-run")).click();
    waitUpTo(phone, 10).until(ExpectedConditions.urlContains("/ui/executions/"));
    ExecutionRecord dry =
        live.store.executions().find(executionIn(driver.getCurrentUrl())).orElseThrow();
    assertThat(dry.dryRun()).isTrue();
    assertThat(dry.params()).containsEntry("service", "web");

    // A live run on the engine of a stack that runs nothing: the engine's answer ends it at once
    // (ActionPagesDockerTest restarts a running stack; a dry run does not ask the engine).
    driver.get(live.uri("/ui/intents").toString());
    driver.findElement(By.linkText("restart-b")).click();
    waitUpTo(phone, 10).until(ExpectedConditions.urlContains("/ui/intents/restart-b"));
    driver.findElement(By.id("run-live")).click();
    waitUpTo(phone, 10).until(ExpectedConditions.urlContains("/ui/executions/"));
    String id = executionIn(driver.getCurrentUrl());
    ExecutionRecord run =
        Awaitility.await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> live.store.executions().find(id).orElseThrow(), ExecutionRecord::ended);
    assertThat(run.dryRun()).isFalse();
    assertThat(run.status()).as(run.summary()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(run.summary()).contains("nothing to restart: the stack has no containers");
    assertThat(run.actor()).isEqualTo("alice");
  }

  @Test
  void aSecondUserApprovesOnADesktop() {
    SignedIn ci = SignedIn.admin(live, "ci");
    String location =
        ci.post("/ui/intents/guarded/run").headers().firstValue("Location").orElseThrow();
    String id = executionIn(location);
    signIn(desktop, SignedIn.as(live, "bob", List.of(), List.of("*"), false));
    WebDriver driver = desktop.driver();
    driver.get(live.uri("/ui/approvals").toString());
    desktop.screenshot("approvals-pending-desktop");
    driver.findElement(By.id("comment-" + id)).sendKeys("<b>fine</b> by me");
    driver.findElement(By.id("approve-" + id)).click();
    waitUpTo(desktop, 10).until(ExpectedConditions.urlContains("approved=" + id));
    assertThat(driver.findElement(By.cssSelector("p.notice")).getText())
        .isEqualTo("You approved execution " + id + ".");
    assertThat(live.store.executions().approvals(id))
        .singleElement()
        .satisfies(approval -> assertThat(approval.approver()).isEqualTo("bob"));
    Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> live.store.executions().find(id).orElseThrow().ended());
  }

  @Test
  void everyPageFitsAPhoneAndADesktop() {
    signIn(phone, SignedIn.admin(live, "alice"));
    signIn(desktop, SignedIn.admin(live, "alice"));
    for (String path : PAGES) {
      String name = path.substring("/ui/".length()).replace('/', '-');
      for (Browser browser : List.of(phone, desktop)) {
        browser.driver().get(live.uri(path).toString());
        assertThat(browser.driver().findElements(By.tagName("h1"))).as(path).hasSize(1);
        assertThat(browser.scrollsSideways()).as(path).isFalse();
        browser.screenshot(name + (browser == phone ? "-phone" : "-desktop"));
      }
    }
  }
}
