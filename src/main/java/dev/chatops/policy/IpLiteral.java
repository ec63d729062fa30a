package dev.chatops.policy;

import static dev.chatops.yaml.Problem.quote;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * IPv4 and IPv6 address literals, parsed by hand so that nothing is ever resolved: a host name is
 * an error, not a DNS query. The configuration parses its addresses with it too.
 */
public final class IpLiteral {

  private static final Pattern HEX_GROUP = Pattern.compile("[0-9A-Fa-f]{1,4}");
  private static final Pattern DECIMAL_OCTET = Pattern.compile("0|[1-9][0-9]{0,2}");

  private IpLiteral() {}

  /**
   * The address written as {@code text}, or empty when it is not an IPv4 or IPv6 literal (zone ids,
   * ports, brackets and host names are not literals). IPv4-mapped IPv6 addresses ({@code
   * ::ffff:192.0.2.1}) come back as the IPv4 address. Never performs a lookup.
   */
  public static Optional<InetAddress> parse(String text) {
    return bytes(text).map(IpLiteral::address);
  }

  /** Dotted quad for IPv4; RFC 5952 compressed form for IPv6 (no zone id). */
  public static String format(InetAddress address) {
    return format(address.getAddress());
  }

  /**
   * The address written as {@code text}.
   *
   * @throws IllegalArgumentException saying, in an operator's words, why it is not an IP literal
   */
  public static InetAddress require(String text) {
    return parse(text).orElseThrow(() -> new IllegalArgumentException(notAnAddress(text)));
  }

  static String notAnAddress(String text) {
    if (text.indexOf('%') >= 0) {
      return quote(text) + " is not an IP address (zone ids such as %eth0 are not supported)";
    }
    return quote(text)
        + " is not an IP address literal such as 127.0.0.1 or ::1 (host names are not resolved)";
  }

  /** 4 bytes for IPv4, 16 for IPv6, or empty when {@code text} is neither. */
  static Optional<byte[]> bytes(String text) {
    if (text.indexOf(':') >= 0) {
      return Optional.ofNullable(ipv6(text));
    }
    return Optional.ofNullable(ipv4(text));
  }

  /** Wraps raw bytes; never performs a lookup. IPv4-mapped IPv6 bytes become an IPv4 address. */
  public static InetAddress address(byte[] bytes) {
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("an IP address has 4 or 16 bytes", e);
    }
  }

  /** Dotted quad for IPv4; RFC 5952 compressed form for IPv6. */
  static String format(byte[] bytes) {
    if (bytes.length == 4) {
      return (bytes[0] & 0xff)
          + "."
          + (bytes[1] & 0xff)
          + "."
          + (bytes[2] & 0xff)
          + "."
          + (bytes[3] & 0xff);
    }
    int[] groups = new int[8];
    for (int i = 0; i < 8; i++) {
      groups[i] = ((bytes[2 * i] & 0xff) << 8) | (bytes[2 * i + 1] & 0xff);
    }
    int bestStart = -1;
    int bestLength = 1;
    for (int i = 0; i < 8; ) {
      int j = i;
      while (j < 8 && groups[j] == 0) {
        j++;
      }
      if (j - i > bestLength) {
        bestStart = i;
        bestLength = j - i;
      }
      i = j == i ? i + 1 : j;
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        out.append("::");
        i += bestLength - 1;
        continue;
      }
      if (!out.isEmpty() && out.charAt(out.length() - 1) != ':') {
        out.append(':');
      }
      out.append(Integer.toHexString(groups[i]));
    }
    return out.toString();
  }

  private static byte[] ipv4(String text) {
    String[] parts = text.split("\\.", -1);
    if (parts.length != 4) {
      return null;
    }
    byte[] out = new byte[4];
    for (int i = 0; i < 4; i++) {
      // Leading zeros are refused: some parsers read them as octal.
      if (!DECIMAL_OCTET.matcher(parts[i]).matches()) {
        return null;
      }
      int value = Integer.parseInt(parts[i]);
      if (value > 255) {
        return null;
      }
      out[i] = (byte) value;
    }
    return out;
  }

  private static byte[] ipv6(String text) {
    if (text.length() > 45 || text.indexOf('%') >= 0) {
      return null;
    }
    int gap = text.indexOf("::");
    if (gap >= 0 && text.indexOf("::", gap + 1) >= 0) {
      return null;
    }
    List<Integer> head = groups(gap >= 0 ? text.substring(0, gap) : text, gap < 0);
    List<Integer> tail = gap >= 0 ? groups(text.substring(gap + 2), true) : List.of();
    if (head == null || tail == null) {
      return null;
    }
    int written = head.size() + tail.size();
    if (gap < 0 ? written != 8 : written > 7) {
      return null;
    }
    int[] all = new int[8];
    for (int i = 0; i < head.size(); i++) {
      all[i] = head.get(i);
    }
    for (int i = 0; i < tail.size(); i++) {
      all[8 - tail.size() + i] = tail.get(i);
    }
    byte[] out = new byte[16];
    for (int i = 0; i < 8; i++) {
      out[2 * i] = (byte) (all[i] >> 8);
      out[2 * i + 1] = (byte) all[i];
    }
    return out;
  }

  /** 16-bit groups of one side of {@code ::}; the last may be a dotted IPv4 tail. */
  private static List<Integer> groups(String part, boolean mayEndInIpv4) {
    List<Integer> out = new ArrayList<>();
    if (part.isEmpty()) {
      return out;
    }
    String[] pieces = part.split(":", -1);
    for (int i = 0; i < pieces.length; i++) {
      String piece = pieces[i];
      if (mayEndInIpv4 && i == pieces.length - 1 && piece.indexOf('.') >= 0) {
        byte[] v4 = ipv4(piece);
        if (v4 == null) {
          return null;
        }
        out.add(((v4[0] & 0xff) << 8) | (v4[1] & 0xff));
        out.add(((v4[2] & 0xff) << 8) | (v4[3] & 0xff));
      } else if (HEX_GROUP.matcher(piece).matches()) {
        out.add(Integer.parseInt(piece, 16));
      } else {
        return null;
      }
    }
    return out;
  }
}
