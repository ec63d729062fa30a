package dev.chatops.policy;

import java.util.Objects;
import java.util.Optional;

/** The outcome of checking a presented API key against a {@link KeyRing}. */
public sealed interface Authentication permits Authentication.Accepted, Authentication.Rejected {

  /** The principal when accepted, else empty. */
  default Optional<Principal> principal() {
    return switch (this) {
      case Accepted accepted -> Optional.of(accepted.who());
      case Rejected rejected -> Optional.empty();
    };
  }

  /**
   * The key is known, not revoked and not expired.
   *
   * @param who the key's identity
   */
  record Accepted(Principal who) implements Authentication {
    public Accepted {
      Objects.requireNonNull(who, "who");
    }
  }

  /**
   * The key is not accepted.
   *
   * @param rejection why
   * @param keyName the stored key's name when the key was recognised (revoked or expired), for the
   *     audit trail; empty for unknown and malformed keys
   */
  record Rejected(Rejection rejection, Optional<String> keyName) implements Authentication {
    public Rejected {
      Objects.requireNonNull(rejection, "rejection");
      Objects.requireNonNull(keyName, "keyName");
    }
  }
}
