package dev.chatops.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chatops.policy.ClientAddress.Origin;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Trusted proxies: 10.0.0.0/8 and fd00::/8. Allowed: the tailnet 100.64.0.0/10, 127.0.0.1/32 and
 * 2001:db8:1::/48. 203.0.113.0/24 is "the internet".
 */
class SourcePolicyTest {

  private final SourcePolicy policy =
      new SourcePolicy(
          List.of(
              Cidr.parse("100.64.0.0/10"),
              Cidr.parse("127.0.0.1/32"),
              Cidr.parse("2001:db8:1::/48")),
          List.of(Cidr.parse("10.0.0.0/8"), Cidr.parse("fd00::/8")));

  /**
   * Columns: the TCP peer; the X-Forwarded-For lines, separated by {@code |} (NONE: no header); the
   * client address it resolves to; how it was found; whether the allowlist lets it in.
   */
  @ParameterizedTest(name = "peer {0}, X-Forwarded-For [{1}] -> {2} ({3}), allowed {4}")
  @CsvSource(
      delimiter = ';',
      nullValues = "NONE",
      value = {
        // An untrusted peer is the client, whatever it claims.
        "203.0.113.5; 100.64.0.1;                       203.0.113.5; PEER; false",
        "203.0.113.5; 127.0.0.1;                        203.0.113.5; PEER; false",
        "203.0.113.5; 10.0.0.2, 100.64.0.1;             203.0.113.5; PEER; false",
        "203.0.113.5; garbage;                          203.0.113.5; PEER; false",
        "203.0.113.5; NONE;                             203.0.113.5; PEER; false",
        "100.64.0.9;  203.0.113.5;                      100.64.0.9;  PEER; true",
        "100.64.0.9;  unknown;                          100.64.0.9;  PEER; true",
        "2001:db8:1::9; 100.64.0.1;                     2001:db8:1::9; PEER; true",
        // A trusted proxy without a header is the client (a request made on its host).
        "10.0.0.2;    NONE;                             10.0.0.2;    PEER; false",
        "10.0.0.2;    '';                               10.0.0.2;    PEER; false",
        "10.0.0.2;    ' , ,';                           10.0.0.2;    PEER; false",
        // A trusted proxy forwarding one client.
        "10.0.0.2;    100.64.0.7;                       100.64.0.7;  FORWARDED; true",
        "10.0.0.2;    203.0.113.9;                      203.0.113.9; FORWARDED; false",
        // What the client wrote itself, left of what the proxy appended, is never read.
        "10.0.0.2;    100.64.0.1, 203.0.113.9;          203.0.113.9; FORWARDED; false",
        "10.0.0.2;    127.0.0.1,203.0.113.9;            203.0.113.9; FORWARDED; false",
        "10.0.0.2;    garbage, 203.0.113.9;             203.0.113.9; FORWARDED; false",
        "10.0.0.2;    10.0.0.7, 203.0.113.9;            203.0.113.9; FORWARDED; false",
        // Chains of trusted proxies are walked from the right.
        "10.0.0.2;    100.64.0.7, 10.0.0.3;             100.64.0.7;  FORWARDED; true",
        "10.0.0.2;    100.64.0.7, 10.1.1.1, 10.0.0.3;   100.64.0.7;  FORWARDED; true",
        "10.0.0.2;    203.0.113.1, 100.64.0.7, 10.0.0.3; 100.64.0.7; FORWARDED; true",
        "10.0.0.2;    100.64.0.1, 203.0.113.9, 10.0.0.3; 203.0.113.9; FORWARDED; false",
        "10.0.0.2;    10.0.0.5, 10.0.0.3;               10.0.0.5;    FORWARDED; false",
        // Several header lines are one list, in order.
        "10.0.0.2;    100.64.0.1 | 203.0.113.9;         203.0.113.9; FORWARDED; false",
        "10.0.0.2;    203.0.113.9 | 100.64.0.7;         100.64.0.7;  FORWARDED; true",
        "10.0.0.2;    100.64.0.7, 10.0.0.3 | 10.0.0.4;  100.64.0.7;  FORWARDED; true",
        "10.0.0.2;    '100.64.0.7|';                    100.64.0.7;  FORWARDED; true",
        "10.0.0.2;    '100.64.0.7,, \t';                100.64.0.7;  FORWARDED; true",
        // Entries a trusted proxy wrote that are not IP literals: attributed to that proxy,
        // refused.
        "10.0.0.2;    unknown;                          10.0.0.2;    UNREADABLE; false",
        "10.0.0.2;    100.64.0.7, unknown;              10.0.0.2;    UNREADABLE; false",
        "10.0.0.2;    unknown, 10.0.0.3;                10.0.0.3;    UNREADABLE; false",
        "10.0.0.2;    100.64.0.7:51234;                 10.0.0.2;    UNREADABLE; false",
        "10.0.0.2;    [2001:db8:1::5];                  10.0.0.2;    UNREADABLE; false",
        "10.0.0.2;    localhost;                        10.0.0.2;    UNREADABLE; false",
        "10.0.0.2;    tailnet-host.example;             10.0.0.2;    UNREADABLE; false",
        "10.0.0.2;    100.064.0.7;                      10.0.0.2;    UNREADABLE; false",
        "10.0.0.2;    1.2.3;                            10.0.0.2;    UNREADABLE; false",
        "10.0.0.2;    fe80::1%eth0;                     10.0.0.2;    UNREADABLE; false",
        "10.0.0.2;    _hidden;                          10.0.0.2;    UNREADABLE; false",
        "10.0.0.2;    '\"100.64.0.7\"';                 10.0.0.2;    UNREADABLE; false",
        "10.0.0.2;    for=100.64.0.7;                   10.0.0.2;    UNREADABLE; false",
        // IPv6, and IPv4-mapped IPv6 as IPv4.
        "fd00::2;     2001:db8:1::5;                    2001:db8:1::5; FORWARDED; true",
        "fd00::2;     2001:DB8:1:0:0:0:0:5;             2001:db8:1::5; FORWARDED; true",
        "fd00::2;     2001:db8:2::5;                    2001:db8:2::5; FORWARDED; false",
        "fd00::2;     ::ffff:100.64.0.7;                100.64.0.7;  FORWARDED; true",
        "fd00::2;     100.64.0.7, fd00::3;              100.64.0.7;  FORWARDED; true",
        "::ffff:10.0.0.2; 100.64.0.7;                   100.64.0.7;  FORWARDED; true",
        "::ffff:203.0.113.5; 100.64.0.7;                203.0.113.5; PEER; false",
        "2001:db8:1::9; ::ffff:100.64.0.7;              2001:db8:1::9; PEER; true",
        "fd00::2;     ::ffff:10.0.0.3, ::1;             ::1;         FORWARDED; false"
      })
  void theClientIsTheFirstUntrustedHopFromTheRight(
      String peer, String forwardedFor, String client, Origin origin, boolean allowed) {
    ClientAddress resolved = policy.resolve(address(peer), lines(forwardedFor));

    assertThat(IpLiteral.format(resolved.address())).isEqualTo(client);
    assertThat(resolved.origin()).isEqualTo(origin);
    assertThat(policy.allowed(resolved)).isEqualTo(allowed);
  }

  @Test
  void aMappedIpv6PeerIsNormalisedToIpv4() throws UnknownHostException {
    byte[] mapped = new byte[16];
    mapped[10] = (byte) 0xff;
    mapped[11] = (byte) 0xff;
    mapped[12] = 10;
    mapped[15] = 2;
    InetAddress peer = Inet6Address.getByAddress(null, mapped, -1);

    ClientAddress resolved = policy.resolve(peer, List.of("100.64.0.7"));

    assertThat(resolved.peer()).isEqualTo(address("10.0.0.2"));
    assertThat(resolved.address()).isEqualTo(address("100.64.0.7"));
    assertThat(policy.isTrustedProxy(peer)).isTrue();
  }

  @Test
  void aZoneIdOnThePeerIsDropped() throws UnknownHostException {
    InetAddress peer = Inet6Address.getByAddress(null, address("2001:db8:1::9").getAddress(), 3);

    ClientAddress resolved = policy.resolve(peer, List.of());

    assertThat(resolved.address()).isEqualTo(address("2001:db8:1::9"));
    assertThat(policy.allowed(resolved)).isTrue();
  }

  @Test
  void anUnreadableEntryIsRefusedEvenWhenTheProxyItselfIsAllowed() {
    SourcePolicy local =
        new SourcePolicy(List.of(Cidr.parse("127.0.0.1/32")), List.of(Cidr.parse("127.0.0.1/32")));

    ClientAddress resolved = local.resolve(address("127.0.0.1"), List.of("unknown"));

    assertThat(resolved.origin()).isEqualTo(Origin.UNREADABLE);
    assertThat(local.allowed(resolved.address())).isTrue();
    assertThat(local.allowed(resolved)).isFalse();
  }

  @Test
  void withNoTrustedProxiesForwardedHeadersAreIgnored() {
    SourcePolicy direct = new SourcePolicy(List.of(Cidr.parse("127.0.0.1/32")), List.of());

    ClientAddress resolved = direct.resolve(address("203.0.113.5"), List.of("127.0.0.1"));

    assertThat(resolved)
        .isEqualTo(new ClientAddress(address("203.0.113.5"), address("203.0.113.5"), Origin.PEER));
    assertThat(direct.allowed(resolved)).isFalse();
  }

  @Test
  void overlongEntriesAreUnreadableWithoutBeingParsed() {
    String entry = "1".repeat(100_000);

    assertThat(policy.resolve(address("10.0.0.2"), List.of(entry)).origin())
        .isEqualTo(Origin.UNREADABLE);
  }

  @Test
  void theWalkStopsAtTheClientWhateverFollowsOnItsLeft() {
    String junk = "x,".repeat(50_000);

    ClientAddress resolved = policy.resolve(address("10.0.0.2"), List.of(junk + "100.64.0.7"));

    assertThat(resolved.address()).isEqualTo(address("100.64.0.7"));
  }

  @Test
  void thePolicyIsBuiltFromTheConfiguredAllowlistAndProxies() {
    SourcePolicy configured =
        new SourcePolicy(List.of(Cidr.parse("100.64.0.0/10")), List.of(Cidr.parse("127.0.0.1/32")));

    assertThat(configured.resolve(address("127.0.0.1"), List.of("100.64.0.7")).address())
        .isEqualTo(address("100.64.0.7"));
    assertThat(configured.allowed(address("100.64.0.7"))).isTrue();
    assertThat(configured.allowed(address("127.0.0.1"))).isFalse();
  }

  @Test
  void clientAddressesReadWellInTheAuditTrail() {
    assertThat(policy.resolve(address("10.0.0.2"), List.of("100.64.0.7")))
        .hasToString("100.64.0.7 via 10.0.0.2");
    assertThat(policy.resolve(address("203.0.113.5"), List.of())).hasToString("203.0.113.5");
    assertThat(policy.resolve(address("10.0.0.2"), List.of("unknown")))
        .hasToString("10.0.0.2 (unreadable X-Forwarded-For) via 10.0.0.2");
  }

  private static InetAddress address(String literal) {
    return IpLiteral.parse(literal).orElseThrow();
  }

  private static List<String> lines(String forwardedFor) {
    return forwardedFor == null ? List.of() : Arrays.asList(forwardedFor.split("\\|", -1));
  }
}
