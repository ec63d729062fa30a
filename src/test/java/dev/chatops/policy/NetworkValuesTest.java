package dev.chatops.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.chatops.testing.Samples;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class NetworkValuesTest {

  @ParameterizedTest
  @CsvSource({
    "127.0.0.1, 127.0.0.1",
    "0.0.0.0, 0.0.0.0",
    "::, ::",
    "::1, ::1",
    "FD00::1, fd00::1",
    "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
    "1:2:3:4:5:6:7::, 1:2:3:4:5:6:7:0",
    "::ffff:192.0.2.1, 192.0.2.1",
    "64:ff9b::192.0.2.33, 64:ff9b::c000:221"
  })
  void ipLiteralsParseWithoutLookupsAndPrintCompressed(String text, String printed) {
    InetAddress address = IpLiteral.require(text);

    assertThat(IpLiteral.format(address.getAddress())).isEqualTo(printed);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "localhost",
        "1.2.3",
        "1.2.3.4.5",
        "01.2.3.4",
        "1.2.3.256",
        "1.2.3.-1",
        ":::",
        "1::2::3",
        "12345::",
        "1:2:3:4:5:6:7:8:9",
        "1:2:3:4:5:6:7",
        "::1.2.3",
        "fe80::1%eth0",
        "[::1]",
        " 127.0.0.1"
      })
  void textThatIsNotAnIpLiteralIsRejected(String text) {
    assertThat(IpLiteral.bytes(text)).isEmpty();
  }

  static Stream<Arguments> ipv6Addresses() {
    return Samples.of(1000, 6, random -> new Object[] {Samples.bytes(random, 16)});
  }

  static Stream<Arguments> ipv4Addresses() {
    return Samples.of(1000, 4, random -> new Object[] {Samples.bytes(random, 4)});
  }

  static Stream<Arguments> ipv4Networks() {
    return Samples.of(
        1000, 32, random -> new Object[] {Samples.bytes(random, 4), random.nextInt(33)});
  }

  @ParameterizedTest
  @MethodSource("ipv6Addresses")
  void ipv6FormattingRoundTrips(byte[] bytes) {
    String text = IpLiteral.format(bytes);

    assertThat(IpLiteral.bytes(text)).hasValueSatisfying(back -> assertThat(back).isEqualTo(bytes));
  }

  @ParameterizedTest
  @MethodSource("ipv4Addresses")
  void ipv4FormattingRoundTrips(byte[] bytes) {
    assertThat(IpLiteral.bytes(IpLiteral.format(bytes)))
        .hasValueSatisfying(back -> assertThat(back).isEqualTo(bytes));
  }

  @ParameterizedTest
  @CsvSource({
    "10.0.0.0/8, 10.255.1.2, true",
    "10.0.0.0/8, 11.0.0.1, false",
    "0.0.0.0/0, 203.0.113.9, true",
    "100.64.0.0/10, 100.127.255.255, true",
    "100.64.0.0/10, 100.128.0.0, false",
    "127.0.0.1/32, 127.0.0.1, true",
    "127.0.0.1/32, 127.0.0.2, false",
    "::1/128, ::1, true",
    "fd00::/8, fdff::1, true",
    "fd00::/8, fe00::1, false",
    "::/0, 10.0.0.1, false",
    "0.0.0.0/0, ::1, false",
    "::ffff:10.0.0.0/104, 10.1.2.3, true"
  })
  void cidrsContainTheAddressesOfTheirNetworkAndFamily(String cidr, String address, boolean in) {
    assertThat(Cidr.parse(cidr).contains(IpLiteral.require(address))).isEqualTo(in);
  }

  @Test
  void anIpv4MappedNetworkIsStoredAsIpv4() {
    assertThat(Cidr.parse("::ffff:10.0.0.0/104")).isEqualTo(Cidr.parse("10.0.0.0/8"));
    assertThat(Cidr.parse("::ffff:10.0.0.0/104")).hasToString("10.0.0.0/8");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"10.0.0.1/8", "10.0.0.0/33", "10.0.0.0/", "10.0.0.0/08", "/8", "a/8", "1/2/3"})
  void badCidrsAreRejectedWithAReason(String text) {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Cidr.parse(text))
        .withMessageContaining(text.contains("/") ? "'" : "CIDR");
  }

  @Test
  void aCidrRecordRefusesHostBitsAndBadPrefixes() throws UnknownHostException {
    InetAddress address = InetAddress.getByAddress(new byte[] {10, 0, 0, 1});

    assertThatIllegalArgumentException().isThrownBy(() -> new Cidr(address, 8));
    assertThatIllegalArgumentException().isThrownBy(() -> new Cidr(address, 33));
    assertThat(new Cidr(address, 32).contains(address)).isTrue();
  }

  @ParameterizedTest
  @MethodSource("ipv4Networks")
  void everyAddressOfANetworkIsInItAndTheNextNetworkIsNot(byte[] bytes, int prefix) {
    int host = ByteBuffer.wrap(bytes).getInt();
    long size = 1L << (32 - prefix);
    int base = (int) (host & ~(size - 1)); // the network holding the random address
    Cidr network = Cidr.parse(IpLiteral.format(ipv4(base)) + "/" + prefix);

    assertThat(network.contains(IpLiteral.address(bytes))).isTrue();
    assertThat(network.contains(IpLiteral.address(ipv4((int) (base + size - 1))))).isTrue();
    if (prefix > 0) {
      assertThat(network.contains(IpLiteral.address(ipv4((int) (base + size))))).isFalse();
    }
  }

  private static byte[] ipv4(int value) {
    return ByteBuffer.allocate(4).putInt(value).array();
  }
}
