package dev.chatops.http.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Certificates and keys made for a test by {@code openssl} (the JDK has no public certificate
 * builder): self-signed, for {@code localhost} and 127.0.0.1, with the serial number asked for.
 * {@code openssl} is part of Debian's base and of {@code scripts/test-env.sh}; a machine without it
 * fails the test with a message saying so.
 */
public final class TestCertificates {

  /** The kinds of key a test asks for. */
  public enum KeyType {
    RSA,
    EC;

    List<String> newkey() {
      return switch (this) {
        case RSA -> List.of("-newkey", "rsa:2048");
        case EC -> List.of("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256");
      };
    }
  }

  /** A certificate file and its key file. */
  public record Pair(Path cert, Path key) {

    public X509Certificate certificate() {
      return TestCertificates.certificate(cert);
    }

    /** A client context that trusts this certificate only. */
    public SSLContext trusting() {
      return TestCertificates.trusting(certificate());
    }
  }

  private TestCertificates() {}

  /** A self-signed certificate with {@code serial}, its key in PKCS#8, in {@code dir}. */
  public static Pair make(Path dir, String name, KeyType type, long serial) {
    Path cert = dir.resolve(name + ".crt.pem");
    Path key = dir.resolve(name + ".key.pem");
    List<String> argv = new ArrayList<>(List.of("openssl", "req", "-x509", "-nodes", "-days", "2"));
    argv.addAll(type.newkey());
    argv.addAll(
        List.of(
            "-keyout",
            key.toString(),
            "-out",
            cert.toString(),
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=IP:127.0.0.1,DNS:localhost",
            "-set_serial",
            "0x" + Long.toHexString(serial)));
    openssl(argv);
    return new Pair(cert, key);
  }

  /** The key of {@code pair} rewritten in the traditional form: RSA or EC PRIVATE KEY. */
  public static Path traditional(Pair pair, Path out) {
    openssl(
        List.of(
            "openssl",
            "pkey",
            "-in",
            pair.key().toString(),
            "-traditional",
            "-out",
            out.toString()));
    return out;
  }

  /** Runs {@code argv} (an openssl command) to its end, failing loudly when it cannot. */
  public static String openssl(List<String> argv) {
    try {
      Process process =
          new ProcessBuilder(argv)
              .redirectErrorStream(true)
              .redirectInput(ProcessBuilder.Redirect.PIPE)
              .start();
      process.getOutputStream().close();
      byte[] output = process.getInputStream().readAllBytes();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("openssl did not finish: " + argv);
      }
      String text = new String(output, StandardCharsets.UTF_8);
      if (process.exitValue() != 0) {
        throw new IllegalStateException("openssl failed: " + argv + "\n" + text);
      }
      return text;
    } catch (IOException e) {
      throw new IllegalStateException(
          "openssl is needed to make test certificates (apt-get install openssl;"
              + " scripts/test-env.sh installs it): "
              + e.getMessage(),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static X509Certificate certificate(Path pem) {
    try {
      return (X509Certificate)
          CertificateFactory.getInstance("X.509")
              .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(pem)));
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static SSLContext trusting(X509Certificate certificate) {
    try {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("server", certificate);
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(trust);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, factory.getTrustManagers(), null);
      return context;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The environment of an openssl client that may speak TLS 1.1: no system configuration. */
  static Map<String, String> permissiveOpenssl() {
    return Map.of("OPENSSL_CONF", "/dev/null");
  }
}
