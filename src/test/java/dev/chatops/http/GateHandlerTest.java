package dev.chatops.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import org.junit.jupiter.api.Test;

/** The peer address the gate decides on, from what Jetty gives for the connection. */
class GateHandlerTest {

  @Test
  void anIpv4PeerIsItsAddress() throws Exception {
    assertThat(GateHandler.peer(new InetSocketAddress(InetAddress.getByName("192.0.2.7"), 5000)))
        .contains(InetAddress.getByName("192.0.2.7"));
  }

  @Test
  void anIpv4MappedIpv6PeerIsTheIpv4Address() throws Exception {
    byte[] mapped = new byte[16];
    mapped[10] = (byte) 0xff;
    mapped[11] = (byte) 0xff;
    mapped[12] = (byte) 192;
    mapped[13] = 0;
    mapped[14] = 2;
    mapped[15] = 9;
    InetAddress address = Inet6Address.getByAddress(null, mapped, -1);

    assertThat(GateHandler.peer(new InetSocketAddress(address, 5000)))
        .hasValueSatisfying(
            peer -> {
              assertThat(peer).isInstanceOf(Inet4Address.class);
              assertThat(peer.getHostAddress()).isEqualTo("192.0.2.9");
            });
  }

  @Test
  void anIpv6PeerLosesItsZoneAndNeverItsAddress() throws Exception {
    byte[] linkLocal = InetAddress.getByName("fe80::1").getAddress();
    InetAddress zoned = Inet6Address.getByAddress(null, linkLocal, 3);

    assertThat(GateHandler.peer(new InetSocketAddress(zoned, 5000)))
        .hasValueSatisfying(
            peer -> {
              assertThat(peer.getAddress()).isEqualTo(linkLocal);
              assertThat(((Inet6Address) peer).getScopeId()).isZero();
            });
  }

  @Test
  void aPeerWithoutAnIpAddressIsEmpty() {
    assertThat(GateHandler.peer(InetSocketAddress.createUnresolved("example.org", 80))).isEmpty();
    assertThat(GateHandler.peer(UnixDomainSocketAddress.of("/run/chatops.sock"))).isEmpty();
    assertThat(GateHandler.peer(null)).isEmpty();
  }
}
