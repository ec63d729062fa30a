package dev.chatops.http.ui;

import static dev.chatops.http.ui.ExecutionPagesTest.IMG;
import static dev.chatops.http.ui.ExecutionPagesTest.SCRIPT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.chatops.store.AuditKind;
import dev.chatops.store.ExecutionRecord;
import dev.chatops.store.ExecutionStatus;
import dev.chatops.testing.Browser;
import dev.chatops.testing.LiveService;
import dev.chatops.testing.StoredExecutions;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The executions pages in headless Chromium: a running execution's log lines arrive in the open
 * page as they are published, markup in them stays text, and the page turns into the stored report
 * when the execution ends; at phone width nothing scrolls sideways. The lines come from the
 * service's own {@code ExecutionEvents} (what the engine publishes to while it runs), so the test
 * controls when each arrives instead of waiting on a container.
 */
@Tag("browser")
class ExecutionPagesBrowserTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir Path tmp;

  @Test
  void watchesTheLogArriveLiveThenShowsTheStoredReport() throws Exception {
    try (LiveService live = new LiveService(tmp, "", Map.of());
        Browser browser = Browser.phone()) {
      Instant requested = Instant.now().minusSeconds(5);
      ExecutionRecord running =
          StoredExecutions.put(
              live.store,
              StoredExecutions.execution(
                  "ex-live",
                  "restart-a",
                  ExecutionStatus.RUNNING,
                  "deployer",
                  requested,
                  Map.of("tag", SCRIPT, "note", IMG),
                  List.of(IMG),
                  Map.of(
                      "repo", "acme/infra", "pr", "7", "sha", "0f1e2d3c4b5a69788796a5b4c3d2e1f0"),
                  "running",
                  Optional.empty()));
      List<ExecutionStatus> ended =
          List.of(ExecutionStatus.values()).stream().filter(ExecutionStatus::ended).toList();
      for (int i = 0; i < 30; i++) {
        ExecutionPagesTest.store(
            live, "ex-old-" + i, "restart-a", ended.get(i % ended.size()), "deployer", i);
      }
      String cookie = ExecutionPagesTest.signIn(live, "viewer", List.of("*"));
      WebDriver driver = browser.driver();
      driver.get(live.uri("/ui/assets/chatops.css").toString());
      driver
          .manage()
          .addCookie(
              new Cookie(Dashboard.COOKIE, cookie.substring(cookie.indexOf('=') + 1), "/ui"));

      driver.get(live.uri("/ui/executions/ex-live").toString());
      assertThat(driver.findElements(By.cssSelector("#log li"))).isEmpty();
      var events = live.service.events();
      events.publish(
          "ex-live",
          "step",
          Map.of("intent", "restart-a", "title", "restart", "argv", List.of("docker", "compose")));
      events.publish(
          "ex-live", "output", Map.of("intent", "restart-a", "stream", "stdout", "line", "one"));
      WebDriverWait wait = new WebDriverWait(driver, WAIT);
      wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#log li"), 2));
      events.publish(
          "ex-live",
          "output",
          Map.of("intent", "restart-a", "stream", "stderr", "line", SCRIPT + IMG));
      wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#log li"), 3));

      assertThat(driver.findElement(By.cssSelector("#log li:last-child")).getText())
          .contains(SCRIPT + IMG);
      assertThat(driver.findElements(By.cssSelector("img"))).isEmpty();
      assertThat(driver.findElements(By.cssSelector("script"))).hasSize(2); // htmx, its SSE
      assertThat(browser.scrollsSideways()).isFalse();
      browser.screenshot("executions-detail-live-phone");

      Instant end = Instant.now();
      live.store
          .executions()
          .finished(
              "ex-live",
              ExecutionStatus.SUCCEEDED,
              end,
              "restarted livea",
              ExecutionPagesTest.report("one\n" + SCRIPT + IMG).replace("rolled_back", "succeeded"),
              StoredExecutions.entry(running, AuditKind.EXECUTION_FINISHED, end));
      events.publish("ex-live", "end", Map.of("status", "succeeded", "summary", "restarted"));
      wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("pre.output"), 1));

      assertThat(driver.findElements(By.cssSelector("[sse-connect]"))).isEmpty();
      assertThat(driver.findElement(By.id("status")).getText()).isEqualTo("succeeded");
      assertThat(driver.findElement(By.cssSelector("pre.output")).getText()).contains(SCRIPT + IMG);
      assertThat(driver.findElements(By.cssSelector("img"))).isEmpty();
      assertThat(browser.scrollsSideways()).isFalse();
      browser.screenshot("executions-detail-phone");

      driver.get(live.uri("/ui/executions?stack=livea").toString());
      assertThat(driver.findElements(By.cssSelector("table.executions tbody tr"))).hasSize(31);
      assertThat(browser.scrollsSideways()).isFalse();
      browser.screenshot("executions-list-phone");

      driver.manage().window().setSize(new Dimension(Browser.DESKTOP_WIDTH, 900));
      browser.screenshot("executions-list-desktop");
      driver.findElement(By.linkText("ex-live")).click();
      wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("pre.output")));
      assertThat(browser.scrollsSideways()).isFalse();
      browser.screenshot("executions-detail-desktop");
    }
  }
}
