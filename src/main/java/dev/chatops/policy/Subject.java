package dev.chatops.policy;

import java.net.InetAddress;
import java.util.Objects;

/** What a request is counted against: its source address, or the API key it authenticated with. */
public sealed interface Subject permits Subject.Source, Subject.Key {

  /** A source address, before authentication. */
  static Subject source(InetAddress address) {
    return new Source(address);
  }

  /** An authenticated key, by its name (never the key itself). */
  static Subject key(Principal principal) {
    return new Key(principal.name());
  }

  /**
   * A client address ({@code security.rate_limit.per_ip}); also blocked after repeated
   * authentication failures.
   *
   * @param address normalised: IPv4-mapped IPv6 as IPv4, no zone id
   */
  record Source(InetAddress address) implements Subject {
    public Source {
      address = SourcePolicy.normalise(Objects.requireNonNull(address, "address"));
    }
  }

  /**
   * An API key, by name ({@code security.rate_limit.per_key}).
   *
   * @param name the key's name
   */
  record Key(String name) implements Subject {
    public Key {
      Objects.requireNonNull(name, "name");
    }
  }
}
