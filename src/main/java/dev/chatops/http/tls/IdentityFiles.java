package dev.chatops.http.tls;

import dev.chatops.config.ServerTls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the certificate chain and the private key of {@code server.tls} from their PEM files and
 * checks that they belong together. The key may be PKCS#8 ({@code PRIVATE KEY}), PKCS#1 ({@code RSA
 * PRIVATE KEY}) or SEC1 ({@code EC PRIVATE KEY}); an encrypted key is refused, since the service
 * has nowhere to keep its passphrase but another file next to it.
 */
final class IdentityFiles {

  /** Far above any real chain or key: a larger file is not what the key names. */
  static final int MAX_FILE_BYTES = 1024 * 1024;

  static final String CERT_KEY = "server.tls.cert_file";
  static final String KEY_KEY = "server.tls.key_file";

  /** The two files' bytes as read together, and a digest of both that tells a change. */
  static final class Contents {
    private final byte[] cert;
    private final byte[] key;
    private final byte[] digest;

    Contents(byte[] cert, byte[] key, byte[] digest) {
      this.cert = cert;
      this.key = key;
      this.digest = digest;
    }

    byte[] cert() {
      return cert.clone();
    }

    byte[] key() {
      return key.clone();
    }

    byte[] digest() {
      return digest.clone();
    }
  }

  /** Key types whose match with the certificate can be checked (see {@link #matches}). */
  private static final Set<String> SUPPORTED = Set.of("RSA", "EC", "EdDSA", "Ed25519", "Ed448");

  private static final SecureRandom RANDOM = new SecureRandom();

  private IdentityFiles() {}

  /** Both files as they are now. */
  static Contents read(ServerTls tls) {
    byte[] cert = bytes(CERT_KEY, tls.certFile());
    byte[] key = bytes(KEY_KEY, tls.keyFile());
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(cert);
      sha.update((byte) 0);
      sha.update(key);
      return new Contents(cert, key, sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  /** The identity {@code contents} hold. */
  static Identity parse(ServerTls tls, Contents contents) {
    List<X509Certificate> chain = chain(tls.certFile(), contents.cert());
    String type = chain.getFirst().getPublicKey().getAlgorithm();
    if (!SUPPORTED.contains(type)) {
      throw new BadTlsFiles(
          CERT_KEY
              + " ("
              + tls.certFile()
              + "): the certificate's key is "
              + type
              + "; ChatOps serves RSA, EC and EdDSA keys");
    }
    PrivateKey key = key(tls.keyFile(), contents.key(), chain.getFirst().getPublicKey());
    if (!matches(key, chain.getFirst().getPublicKey())) {
      throw new BadTlsFiles(
          KEY_KEY
              + " ("
              + tls.keyFile()
              + "): the key does not belong to the first certificate of "
              + CERT_KEY
              + " ("
              + tls.certFile()
              + ")");
    }
    return new Identity(chain, key);
  }

  /**
   * Why the key file's mode is too open, if it is: readable by every user. A group may read it:
   * that is how a root-owned key is shared with the service's group (certbot's deploy hook, {@code
   * chgrp chatops}), and the service cannot tell who else is in that group.
   */
  static Optional<String> modeWarning(ServerTls tls) {
    try {
      Set<PosixFilePermission> mode = Files.getPosixFilePermissions(tls.keyFile());
      if (mode.contains(PosixFilePermission.OTHERS_READ)) {
        return Optional.of(
            KEY_KEY
                + " ("
                + tls.keyFile()
                + ") is readable by every user of the host: make it 0600 (or 0640 with a group"
                + " only the service is in)");
      }
      return Optional.empty();
    } catch (UnsupportedOperationException | IOException e) {
      // A file system without POSIX modes, or a file gone since it was read: nothing to judge.
      return Optional.empty();
    }
  }

  private static byte[] bytes(String name, Path path) {
    try {
      if (Files.size(path) > MAX_FILE_BYTES) {
        throw new BadTlsFiles(
            name + " (" + path + "): larger than " + MAX_FILE_BYTES + " bytes, not a PEM file");
      }
      return Files.readAllBytes(path);
    } catch (IOException e) {
      throw new BadTlsFiles(name + " (" + path + "): cannot read it: " + reason(e), e);
    }
  }

  private static String reason(IOException e) {
    String type = e.getClass().getSimpleName();
    return switch (type) {
      case "NoSuchFileException" -> "no such file";
      case "AccessDeniedException" -> "permission denied";
      default -> type + (e.getMessage() == null ? "" : ": " + e.getMessage());
    };
  }

  private static List<X509Certificate> chain(Path path, byte[] pem) {
    String where = CERT_KEY + " (" + path + "): ";
    List<PemBlocks.Block> blocks;
    try {
      blocks = PemBlocks.parse(new String(pem, StandardCharsets.US_ASCII));
    } catch (IllegalArgumentException e) {
      throw new BadTlsFiles(where + e.getMessage());
    }
    List<X509Certificate> chain = new ArrayList<>();
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      for (PemBlocks.Block block : blocks) {
        if (block.label().equals("CERTIFICATE")) {
          chain.add(
              (X509Certificate) factory.generateCertificate(new ByteArrayInputStream(block.der())));
        } else if (block.label().contains("PRIVATE KEY")) {
          // The key is allowed in its own file only: a combined file is easily published whole.
          throw new BadTlsFiles(
              where
                  + "holds a private key; give the key in "
                  + KEY_KEY
                  + " and only certificates here");
        }
      }
    } catch (CertificateException e) {
      throw new BadTlsFiles(where + "certificate " + (chain.size() + 1) + " cannot be read", e);
    }
    if (chain.isEmpty()) {
      throw new BadTlsFiles(where + "no CERTIFICATE block (PEM, the server's certificate first)");
    }
    return chain;
  }

  private static PrivateKey key(Path path, byte[] pem, PublicKey certified) {
    String where = KEY_KEY + " (" + path + "): ";
    List<PemBlocks.Block> keys;
    try {
      keys =
          PemBlocks.parse(new String(pem, StandardCharsets.US_ASCII)).stream()
              .filter(block -> block.label().endsWith("PRIVATE KEY"))
              .toList();
    } catch (IllegalArgumentException e) {
      throw new BadTlsFiles(where + e.getMessage());
    }
    if (keys.size() != 1) {
      throw new BadTlsFiles(
          where
              + (keys.isEmpty() ? "no" : keys.size())
              + " private key block(s); one PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY is needed");
    }
    PemBlocks.Block block = keys.getFirst();
    if (block.label().equals("ENCRYPTED PRIVATE KEY") || block.encryptedHeader()) {
      throw new BadTlsFiles(
          where
              + "the key is encrypted; ChatOps reads unencrypted keys only (openssl pkey -in"
              + " FILE -out FILE writes it decrypted; keep it 0600)");
    }
    byte[] pkcs8;
    try {
      pkcs8 =
          switch (block.label()) {
            case "PRIVATE KEY" -> block.der();
            case "RSA PRIVATE KEY" -> Der.pkcs8FromPkcs1(block.der());
            case "EC PRIVATE KEY" -> Der.pkcs8FromSec1(block.der());
            default ->
                throw new BadTlsFiles(
                    where
                        + block.label()
                        + " is not a form ChatOps reads (PRIVATE KEY, RSA PRIVATE KEY, EC PRIVATE"
                        + " KEY)");
          };
    } catch (BadTlsFiles e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw new BadTlsFiles(where + "the " + block.label() + " cannot be read: " + e.getMessage());
    }
    try {
      // The certificate says what the key is: RSA, EC, EdDSA.
      return KeyFactory.getInstance(certified.getAlgorithm())
          .generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
    } catch (GeneralSecurityException e) {
      throw new BadTlsFiles(
          where
              + "not a "
              + certified.getAlgorithm()
              + " private key as the certificate's ("
              + e.getClass().getSimpleName()
              + ")");
    }
  }

  /** Whether {@code key} signs what {@code certified} verifies: the one check every type allows. */
  private static boolean matches(PrivateKey key, PublicKey certified) {
    String algorithm =
        switch (certified.getAlgorithm()) {
          case "RSA" -> "SHA256withRSA";
          case "EC" -> "SHA256withECDSA";
          case "EdDSA", "Ed25519", "Ed448" -> "EdDSA";
          default -> "";
        };
    if (algorithm.isEmpty()) {
      return false;
    }
    try {
      byte[] challenge = new byte[32];
      RANDOM.nextBytes(challenge);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(challenge);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(certified);
      verifier.update(challenge);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}
