package dev.chatops.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SourceGroupsTest {

  @ParameterizedTest(name = "{0} /{1} -> {2}")
  @CsvSource({
    "2001:db8:1:2:3:4:5:6, 64, 2001:db8:1:2::/64",
    "2001:db8:1:2:3:4:5:6, 56, 2001:db8:1::/56",
    "2001:db8:1:2ff:3:4:5:6, 56, 2001:db8:1:200::/56",
    "2001:db8:1:2ff:3:4:5:6, 61, 2001:db8:1:2f8::/61",
    "2001:db8:1:2:3:4:5:6, 32, 2001:db8::/32",
    "2001:db8:1:2:3:4:5:6, 127, 2001:db8:1:2:3:4:5:6/127",
    "2001:db8:1:2:3:4:5:7, 127, 2001:db8:1:2:3:4:5:6/127",
    "2001:db8:1:2:3:4:5:6, 128, 2001:db8:1:2:3:4:5:6",
    "::1, 64, ::/64",
    "192.0.2.7, 64, 192.0.2.7",
    "192.0.2.7, 32, 192.0.2.7"
  })
  void anAddressIsCountedAsItsNetwork(String address, int prefix, String label) {
    SourceGroups groups = new SourceGroups(prefix);

    assertThat(groups.label(address(address))).isEqualTo(label);
    String network = label.contains("/") ? label.substring(0, label.indexOf('/')) : label;
    assertThat(groups.of(address(address))).isEqualTo(address(network));
  }

  @Test
  void addressesOfOneNetworkShareItsGroupAndNeighboursDoNot() {
    SourceGroups groups = new SourceGroups(64);

    assertThat(groups.of(address("2001:db8:1:2::1")))
        .isEqualTo(groups.of(address("2001:db8:1:2:ffff:ffff:ffff:ffff")))
        .isNotEqualTo(groups.of(address("2001:db8:1:3::1")));
  }

  @Test
  void theAddressItselfIsNeverChanged() {
    InetAddress address = address("2001:db8:1:2:3:4:5:6");

    new SourceGroups(64).label(address);
    new SourceGroups(64).of(address);

    assertThat(IpLiteral.format(address)).isEqualTo("2001:db8:1:2:3:4:5:6");
  }

  @ParameterizedTest
  @ValueSource(ints = {-1, 0, 16, 31, 129})
  void aPrefixOutsideThirtyTwoTo128IsRefused(int prefix) {
    assertThatIllegalArgumentException().isThrownBy(() -> new SourceGroups(prefix));
  }

  private static InetAddress address(String literal) {
    return IpLiteral.parse(literal).orElseThrow();
  }
}
