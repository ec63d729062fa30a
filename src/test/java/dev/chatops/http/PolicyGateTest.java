package dev.chatops.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chatops.engine.Caller;
import dev.chatops.policy.ApiKeys;
import dev.chatops.policy.Cidr;
import dev.chatops.policy.KeyRing;
import dev.chatops.policy.NewKey;
import dev.chatops.policy.Rate;
import dev.chatops.policy.RateLimiter;
import dev.chatops.policy.RateLimits;
import dev.chatops.policy.SourcePolicy;
import dev.chatops.store.AuditRecord;
import dev.chatops.store.jdbc.SqliteStore;
import dev.chatops.testing.TestClock;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gate's decisions without a server, over a real SQLite audit trail. */
class PolicyGateTest {

  private static final InetAddress CLIENT = InetAddress.getLoopbackAddress();

  @TempDir Path dir;
  private final TestClock clock = new TestClock(Instant.parse("2026-05-01T12:00:00Z"));
  private final AtomicReference<Optional<KeyRing>> ring = new AtomicReference<>();
  private SqliteStore store;
  private PolicyGate gate;
  private NewKey ci;

  @BeforeEach
  void setUp() {
    store = SqliteStore.open(dir.resolve("chatops.db"), clock);
    ci =
        (NewKey)
            new ApiKeys(new SecureRandom(), clock).create("ci", List.of(), false, Optional.empty());
    ring.set(Optional.of(new KeyRing(List.of(ci.record()))));
    gate =
        new PolicyGate(
            new SourcePolicy(List.of(Cidr.parse("127.0.0.1/32")), List.of()),
            RateLimiter.of(
                new RateLimits(
                    Rate.parse("1000/min"), Rate.parse("1000/min"), Rate.parse("10/min"), 64),
                clock),
            ring::get,
            store.audit(),
            clock);
  }

  @AfterEach
  void tearDown() {
    store.close();
  }

  private Gate.Admission admit(List<String> apiKey) {
    return gate.admit(CLIENT, List.of(), List.of(), apiKey);
  }

  @Test
  void aKeyIsAdmittedWhileTheRingIsTrusted() {
    assertThat(admit(List.of(ci.key()))).isInstanceOf(Gate.Admitted.class);
  }

  @Test
  void anAdmittedKeyCallsWithItsApprovalScopeAndAKeyWithoutOneApprovesNothing() {
    NewKey bob =
        (NewKey)
            new ApiKeys(new SecureRandom(), clock)
                .create("bob", List.of(), List.of("rollout-*"), false, true, Optional.empty());
    ring.set(Optional.of(new KeyRing(List.of(ci.record(), bob.record()))));

    Caller approver = ((Gate.Admitted) admit(List.of(bob.key()))).caller();
    Caller trigger = ((Gate.Admitted) admit(List.of(ci.key()))).caller();

    assertThat(approver.approve()).containsExactly("rollout-*");
    assertThat(approver.scope()).isEmpty();
    assertThat(approver.mayApprove("rollout-web")).isTrue();
    assertThat(trigger.approve()).isEmpty();
    assertThat(trigger.mayApprove("rollout-web")).isFalse();
  }

  @Test
  void aKeyGets503WhileTheRingCannotBeTrustedAndTheRefusalIsAudited() {
    ring.set(Optional.empty());

    Gate.Admission admission = admit(List.of(ci.key()));

    assertThat(admission)
        .isInstanceOfSatisfying(
            Gate.Rejected.class,
            rejected -> {
              assertThat(rejected.status()).isEqualTo(503);
              assertThat(rejected.detail()).contains("API keys cannot be read");
              assertThat(rejected.retryAfterSeconds()).isPositive();
            });
    store.close(); // flushes the denials
    store = SqliteStore.open(dir.resolve("chatops.db"), clock);
    List<AuditRecord> denials = new ArrayList<>();
    store.audit().forEach(1, denials::add);
    assertThat(denials)
        .anySatisfy(
            record ->
                assertThat(record.entry().detail()).contains("\"reason\":\"keys_unavailable\""));
  }

  @Test
  void withoutAKeyItIsStill401AndTheRingRecoversByItself() {
    ring.set(Optional.empty());
    assertThat(admit(List.of()))
        .isInstanceOfSatisfying(
            Gate.Rejected.class, rejected -> assertThat(rejected.status()).isEqualTo(401));

    ring.set(Optional.of(new KeyRing(List.of(ci.record()))));

    assertThat(admit(List.of(ci.key()))).isInstanceOf(Gate.Admitted.class);
  }
}
