package dev.chatops.policy;

import static dev.chatops.yaml.Problem.quote;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An IPv4 or IPv6 network in CIDR form ({@code 10.0.0.0/8}, {@code fd00::/8}). The address has no
 * host bits set. IPv4-mapped IPv6 networks ({@code ::ffff:10.0.0.0/104}) are stored as the IPv4
 * network they mean, which is also how Java presents such client addresses.
 *
 * @param network the network address (host bits zero)
 * @param prefix the prefix length, 0 to 32 (IPv4) or 0 to 128 (IPv6)
 */
public record Cidr(InetAddress network, int prefix) {

  private static final Pattern PREFIX = Pattern.compile("0|[1-9][0-9]{0,2}");

  public Cidr {
    Objects.requireNonNull(network, "network");
    byte[] bytes = network.getAddress();
    if (prefix < 0 || prefix > bytes.length * 8) {
      throw new IllegalArgumentException("prefix out of range: " + prefix);
    }
    if (!Arrays.equals(bytes, masked(bytes, prefix))) {
      throw new IllegalArgumentException("host bits set in " + IpLiteral.format(bytes));
    }
  }

  /**
   * Parses {@code text}. Never resolves a host name.
   *
   * @throws IllegalArgumentException saying, in an operator's words, what is wrong with it
   */
  public static Cidr parse(String text) {
    int slash = text.indexOf('/');
    if (slash < 0 || slash != text.lastIndexOf('/')) {
      throw new IllegalArgumentException(
          quote(text)
              + " is not a network in CIDR form such as 10.0.0.0/8 or fd00::/8"
              + " (write /32 or /128 for a single address)");
    }
    String addressText = text.substring(0, slash);
    String prefixText = text.substring(slash + 1);
    Optional<byte[]> parsed = IpLiteral.bytes(addressText);
    if (parsed.isEmpty()) {
      throw new IllegalArgumentException(IpLiteral.notAnAddress(addressText));
    }
    byte[] bytes = parsed.get();
    int bits = bytes.length * 8;
    if (!PREFIX.matcher(prefixText).matches() || Integer.parseInt(prefixText) > bits) {
      throw new IllegalArgumentException(
          "the prefix in "
              + quote(text)
              + " must be a number from 0 to "
              + bits
              + " for an "
              + (bits == 32 ? "IPv4" : "IPv6")
              + " network");
    }
    int prefix = Integer.parseInt(prefixText);
    byte[] network = masked(bytes, prefix);
    if (!Arrays.equals(bytes, network)) {
      throw new IllegalArgumentException(
          quote(text)
              + " has host bits set; the network is "
              + IpLiteral.format(network)
              + "/"
              + prefix);
    }
    if (isIpv4Mapped(bytes) && prefix >= 96) {
      return new Cidr(IpLiteral.address(Arrays.copyOfRange(bytes, 12, 16)), prefix - 96);
    }
    return new Cidr(IpLiteral.address(bytes), prefix);
  }

  /** Whether {@code address} lies in this network; an address of the other family never does. */
  public boolean contains(InetAddress address) {
    byte[] candidate = address.getAddress();
    return candidate.length == network.getAddress().length
        && Arrays.equals(masked(candidate, prefix), network.getAddress());
  }

  @Override
  public String toString() {
    return IpLiteral.format(network.getAddress()) + "/" + prefix;
  }

  private static byte[] masked(byte[] bytes, int prefix) {
    byte[] out = bytes.clone();
    for (int i = 0; i < out.length; i++) {
      int keep = Math.max(0, Math.min(8, prefix - 8 * i));
      out[i] = (byte) (out[i] & (0xff << (8 - keep)));
    }
    return out;
  }

  private static boolean isIpv4Mapped(byte[] bytes) {
    if (bytes.length != 16) {
      return false;
    }
    for (int i = 0; i < 10; i++) {
      if (bytes[i] != 0) {
        return false;
      }
    }
    return bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
  }
}
