package dev.chatops.http.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chatops.testing.Browser;
import dev.chatops.testing.LiveService;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The frame every page shares, on a real server: the assets, the headers, the way in. */
class DashboardFrameTest {

  @TempDir Path tmp;

  @Test
  void servesHtmxFromTheJarWithTheSecurityHeaders() throws Exception {
    try (LiveService live = new LiveService(tmp, "", Map.of())) {
      HttpResponse<String> htmx = live.get("/ui/assets/htmx.min.js");
      assertThat(htmx.statusCode()).isEqualTo(200);
      assertThat(htmx.headers().firstValue("Content-Type"))
          .hasValueSatisfying(type -> assertThat(type).startsWith("text/javascript"));
      assertThat(htmx.body()).contains("htmx");
      assertThat(live.get("/ui/assets/sse.js").body()).contains("sse");
      assertThat(htmx.headers().firstValue("Content-Security-Policy"))
          .hasValue(Dashboard.CONTENT_SECURITY_POLICY);
      assertThat(live.get("/ui/assets/..%2Fchatops.yaml").statusCode()).isEqualTo(404);
    }
  }

  @Test
  void sendsWhoeverHasNoSessionToSignIn() throws Exception {
    try (LiveService live = new LiveService(tmp, "", Map.of())) {
      HttpResponse<String> home = live.get("/ui/");
      assertThat(home.statusCode()).isEqualTo(303);
      assertThat(home.headers().firstValue("Location")).hasValue("/ui/login");
    }
  }

  @Test
  void isNotThereWhenTurnedOff() throws Exception {
    try (LiveService live = new LiveService(tmp, "ui: {enabled: false}", Map.of())) {
      assertThat(live.get("/ui/assets/htmx.min.js").statusCode()).isEqualTo(404);
    }
  }

  @Test
  void isBehindTheAllowlist() throws Exception {
    try (LiveService live =
        new LiveService(tmp, "security: {ip_allowlist: [\"10.9.9.0/24\"]}", Map.of())) {
      assertThat(live.get("/ui/assets/htmx.min.js").statusCode()).isEqualTo(403);
      assertThat(live.get("/metrics").statusCode()).isEqualTo(403);
      assertThat(live.get("/health").statusCode()).isEqualTo(200);
    }
  }

  @Test
  @Tag("browser")
  void theHeadlessBrowserLoadsAnAsset() throws Exception {
    try (LiveService live = new LiveService(tmp, "", Map.of());
        Browser browser = Browser.phone()) {
      browser.driver().get(live.uri("/ui/assets/chatops.css").toString());
      assertThat(browser.driver().getPageSource()).contains("prefers-color-scheme");
      browser.screenshot("frame-phone-css");
    }
  }
}
