package dev.chatops.http.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The cookie's flags with TLS and without ({@code DashboardParts.secureCookies}, which ApiServer
 * sets for an HTTPS listener); {@link SignInTest} reads them from a real server's answer.
 */
class SessionCookieTest {

  @Test
  void isSecureWhenTheListenerSpeaksTlsAndLivesNoLongerThanTheSession() {
    assertThat(new SessionCookie(true, Duration.ofHours(12)).line("v", 43_200))
        .isEqualTo(
            Dashboard.COOKIE + "=v; Path=/ui; Max-Age=43200; HttpOnly; SameSite=Strict; Secure");
    assertThat(new SessionCookie(false, Duration.ofMinutes(90)).line("", 0))
        .isEqualTo(Dashboard.COOKIE + "=; Path=/ui; Max-Age=0; HttpOnly; SameSite=Strict");
  }
}
