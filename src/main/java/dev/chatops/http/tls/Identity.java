package dev.chatops.http.tls;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What the listener presents: a certificate chain, the server's own first, and the private key of
 * that first certificate (checked to match when read).
 */
record Identity(List<X509Certificate> chain, PrivateKey key) {

  /**
   * The alias and password of the in-memory key store; it is never written, so they guard nothing.
   */
  static final String ALIAS = "chatops";

  static final String PASSWORD = "in-memory";

  Identity {
    chain = List.copyOf(chain);
    Objects.requireNonNull(key, "key");
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("empty chain");
    }
  }

  X509Certificate leaf() {
    return chain.getFirst();
  }

  /**
   * A PKCS#12 key store in memory holding the key and the chain, for Jetty's context factory; it is
   * never written, so {@code password} only has to match what the factory is told.
   */
  KeyStore keyStore(String password) {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry(ALIAS, key, password.toCharArray(), chain.toArray(Certificate[]::new));
      return store;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build an in-memory key store", e);
    }
  }

  /** The leaf's subject, serial number (hex) and validity, for the log: nothing secret. */
  String describe() {
    X509Certificate leaf = leaf();
    return "subject "
        + leaf.getSubjectX500Principal().getName()
        + ", serial "
        + leaf.getSerialNumber().toString(16)
        + ", valid until "
        + leaf.getNotAfter().toInstant();
  }

  /** Why the leaf is not valid at {@code now}; empty when it is. */
  String validityProblem(Instant now) {
    X509Certificate leaf = leaf();
    if (now.isAfter(leaf.getNotAfter().toInstant())) {
      return "expired on " + leaf.getNotAfter().toInstant();
    }
    if (now.isBefore(leaf.getNotBefore().toInstant())) {
      return "not valid before " + leaf.getNotBefore().toInstant();
    }
    return "";
  }
}
