package dev.chatops.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chatops.inbound.Refusals;
import dev.chatops.policy.Cidr;
import dev.chatops.policy.Rate;
import dev.chatops.policy.RateLimiter;
import dev.chatops.policy.RateLimits;
import dev.chatops.policy.SourcePolicy;
import dev.chatops.store.AuditRecord;
import dev.chatops.store.jdbc.SqliteStore;
import dev.chatops.testing.TestClock;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gate of signed requests from services outside ({@code /hooks/}, {@code /chat/}): no
 * allowlist, the address's budget, the lockout that bad signatures build up, and their refusals
 * audited as the API's are.
 */
class SignedGateTest {

  private static final InetAddress OUTSIDE = address("203.0.113.9");
  private static final InetAddress PROXY = address("127.0.0.1");

  @TempDir Path dir;
  private final TestClock clock = new TestClock(Instant.parse("2026-11-30T12:00:00Z"));
  private SqliteStore store;
  private PolicyGate gate;

  private static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  @BeforeEach
  void setUp() {
    store = SqliteStore.open(dir.resolve("chatops.db"), clock);
    gate =
        new PolicyGate(
            // Only the loopback is allowed on the API, and it is the one trusted proxy.
            new SourcePolicy(
                List.of(Cidr.parse("127.0.0.1/32")), List.of(Cidr.parse("127.0.0.1/32"))),
            RateLimiter.of(
                new RateLimits(
                    Rate.parse("1000/min"), Rate.parse("5/min"), Rate.parse("3/min"), 64),
                clock),
            Optional::empty,
            store.audit(),
            clock);
  }

  @AfterEach
  void tearDown() {
    store.close();
  }

  @Test
  void anAddressOutsideTheAllowlistReachesASignedEndpointButNotTheApi() {
    assertThat(gate.admitSigned(OUTSIDE, List.of()))
        .isEqualTo(new Gate.SignedAdmitted(OUTSIDE, "203.0.113.9"));
    assertThat(gate.admit(OUTSIDE, List.of(), List.of(), List.of()))
        .isInstanceOfSatisfying(
            Gate.Rejected.class, rejected -> assertThat(rejected.status()).isEqualTo(403));
  }

  @Test
  void theClientIsWhomATrustedProxyNamesAndAnUnreadableNameIsRefused() {
    assertThat(gate.admitSigned(PROXY, List.of("203.0.113.9")))
        .isEqualTo(new Gate.SignedAdmitted(OUTSIDE, "203.0.113.9"));
    // An untrusted peer cannot name another client: it is the client.
    assertThat(gate.admitSigned(OUTSIDE, List.of("192.0.2.1")))
        .isEqualTo(new Gate.SignedAdmitted(OUTSIDE, "203.0.113.9"));
    assertThat(gate.admitSigned(PROXY, List.of("unknown")))
        .isInstanceOfSatisfying(
            Gate.Rejected.class, rejected -> assertThat(rejected.status()).isEqualTo(403));
  }

  @Test
  void signedRequestsSpendTheAddressBudget() {
    for (int i = 0; i < 5; i++) {
      assertThat(gate.admitSigned(OUTSIDE, List.of())).isInstanceOf(Gate.SignedAdmitted.class);
    }
    assertThat(gate.admitSigned(OUTSIDE, List.of()))
        .isInstanceOfSatisfying(
            Gate.Rejected.class,
            rejected -> {
              assertThat(rejected.status()).isEqualTo(429);
              assertThat(rejected.retryAfterSeconds()).isPositive();
            });
  }

  @Test
  void badSignaturesLockTheAddressOutAndAreAuditedWithoutTheirValues() {
    for (int i = 0; i < 3; i++) {
      gate.refuse(OUTSIDE, "203.0.113.9", Refusals.BAD_SIGNATURE, "-", "bad signature");
    }
    assertThat(gate.admitSigned(OUTSIDE, List.of()))
        .isInstanceOfSatisfying(
            Gate.Rejected.class, rejected -> assertThat(rejected.status()).isEqualTo(429));
    // Another address is not locked out, and a refusal for its source is no authentication failure.
    InetAddress other = address("198.51.100.4");
    for (int i = 0; i < 3; i++) {
      gate.refuse(other, "198.51.100.4", Refusals.IP_DENIED, "-", "not in github.sources");
    }
    assertThat(gate.admitSigned(other, List.of())).isInstanceOf(Gate.SignedAdmitted.class);

    // Denials are written in the background: wait for both reasons to be on record.
    List<AuditRecord> records = new ArrayList<>();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              store.audit().flushDenials();
              records.clear();
              store.audit().forEach(1, records::add);
              return records.stream().anyMatch(r -> r.entry().detail().contains("bad_signature"))
                  && records.stream().anyMatch(r -> r.entry().detail().contains("ip_denied"));
            });
    assertThat(records)
        .anySatisfy(
            record -> {
              assertThat(record.entry().detail()).contains("\"reason\":\"bad_signature\"");
              assertThat(record.entry().source()).contains("203.0.113.9");
            })
        .anySatisfy(
            record -> assertThat(record.entry().detail()).contains("\"reason\":\"ip_denied\""));
  }
}
