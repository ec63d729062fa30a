package dev.chatops.http.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chatops.store.AuditEntry;
import dev.chatops.store.AuditKind;
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
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** Signing in with a real browser at phone and desktop widths, and a revoked key's session. */
@Tag("browser")
class SignInBrowserTest {

  @TempDir Path tmp;

  @Test
  void signsInOnAPhoneAndADesktopAndARevokedKeysSessionEndsOnTheNextPage() throws Exception {
    try (LiveService live = new LiveService(tmp, "", Map.of())) {
      String alice = key(live, "alice");
      String bob = key(live, "bob");
      try (Browser phone = Browser.phone()) {
        signIn(live, phone, alice, "signin-phone");
        assertThat(phone.scrollsSideways()).isFalse();
        // htmx runs under the policy (no 'unsafe-inline', no eval): loaded, configured by the
        // meta tag, and no inline style of its own injected.
        Object htmx =
            ((JavascriptExecutor) phone.driver())
                .executeScript(
                    "return [typeof htmx, htmx.config.allowEval, htmx.config.includeIndicatorStyles,"
                        + " document.querySelectorAll('style').length]");
        assertThat(htmx).isEqualTo(List.of("object", false, false, 0L));
      }
      try (Browser desktop = Browser.desktop()) {
        signIn(live, desktop, bob, "signin-desktop");
        live.store
            .keys()
            .revoke(
                "bob",
                Instant.now(),
                new AuditEntry(
                    Instant.now(),
                    AuditKind.KEY_REVOKED,
                    "test",
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    "{\"name\":\"bob\"}"));
        live.service.keys().refresh();

        WebDriver driver = desktop.driver();
        driver.get(live.uri("/ui/").toString());

        wait(driver).until(ExpectedConditions.urlContains("/ui/login?ended=revoked"));
        assertThat(driver.findElement(By.cssSelector(".notice")).getText())
            .isEqualTo("Your session ended: its key was revoked.");
        desktop.screenshot("signin-desktop-revoked");
        assertThat(live.audited("ui.session_ended")).hasSize(1);
      }
    }
  }

  private static void signIn(LiveService live, Browser browser, String key, String screenshot) {
    WebDriver driver = browser.driver();
    driver.get(live.uri("/ui/").toString());
    wait(driver).until(ExpectedConditions.urlContains("/ui/login"));
    browser.screenshot(screenshot + "-form");
    driver.findElement(By.id("key")).sendKeys(key);
    driver.findElement(By.cssSelector("form[action='/ui/login'] button")).click();
    // Signed in: the session cookie, and the sign-in page sends the browser on to the dashboard.
    wait(driver).until(ExpectedConditions.urlContains("/ui/executions"));
    assertThat(driver.manage().getCookieNamed(Dashboard.COOKIE))
        .satisfies(
            cookie -> {
              assertThat(cookie.isHttpOnly()).isTrue();
              assertThat(cookie.getSameSite()).isEqualTo("Strict");
              assertThat(cookie.getPath()).isEqualTo("/ui");
            });
    driver.get(live.uri("/ui/login").toString());
    wait(driver).until(ExpectedConditions.urlContains("/ui/executions"));
    browser.screenshot(screenshot + "-signed-in");
  }

  private static WebDriverWait wait(WebDriver driver) {
    return new WebDriverWait(driver, Duration.ofSeconds(10));
  }

  private static String key(LiveService live, String name) {
    String key = StoredExecutions.key(live.store, name, List.of(), List.of(), true);
    live.service.keys().refresh();
    return key;
  }
}
