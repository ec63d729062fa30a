package dev.chatops.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * The HTTPS listener ({@code server.tls}): when set, the service's port speaks TLS 1.2 or 1.3 only,
 * with the certificate chain and key read from PEM files and read again when they change, and every
 * answer carries {@code Strict-Transport-Security}.
 *
 * @param certFile the certificate chain in PEM, the server's own certificate first
 * @param keyFile the private key in PEM (PKCS#8 {@code PRIVATE KEY}, or the older {@code RSA} and
 *     {@code EC PRIVATE KEY} forms), unencrypted, readable by the service's user only
 * @param hstsMaxAge the {@code max-age} of {@code Strict-Transport-Security}
 */
public record ServerTls(Path certFile, Path keyFile, Duration hstsMaxAge) {

  public ServerTls {
    Objects.requireNonNull(certFile, "certFile");
    Objects.requireNonNull(keyFile, "keyFile");
    Objects.requireNonNull(hstsMaxAge, "hstsMaxAge");
  }
}
