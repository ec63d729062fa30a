package dev.chatops.http.tls;

/**
 * The certificate or key file of {@code server.tls} cannot be used: the message names the key
 * ({@code server.tls.cert_file} or {@code key_file}), the path and what is wrong, never the file's
 * content.
 */
public final class BadTlsFiles extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  BadTlsFiles(String message) {
    super(message);
  }

  BadTlsFiles(String message, Throwable cause) {
    super(message, cause);
  }
}
