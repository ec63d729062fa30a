package dev.chatops.http.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chatops.config.ServerTls;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class IdentityFilesTest {

  @TempDir Path dir;

  private static ServerTls tls(Path cert, Path key) {
    return new ServerTls(cert, key, Duration.ofDays(365));
  }

  private static Identity read(Path cert, Path key) {
    ServerTls tls = tls(cert, key);
    return IdentityFiles.parse(tls, IdentityFiles.read(tls));
  }

  @ParameterizedTest
  @EnumSource(TestCertificates.KeyType.class)
  void readsAPkcs8KeyAndItsCertificate(TestCertificates.KeyType type) {
    TestCertificates.Pair pair = TestCertificates.make(dir, "a", type, 0x51);

    Identity identity = read(pair.cert(), pair.key());

    assertThat(identity.leaf().getSerialNumber().longValue()).isEqualTo(0x51);
    assertThat(identity.describe()).contains("CN=localhost", "serial 51");
  }

  @ParameterizedTest
  @EnumSource(TestCertificates.KeyType.class)
  void readsTheTraditionalRsaAndEcForms(TestCertificates.KeyType type) throws IOException {
    TestCertificates.Pair pair = TestCertificates.make(dir, "a", type, 0x52);
    Path traditional = TestCertificates.traditional(pair, dir.resolve("trad.pem"));
    assertThat(Files.readString(traditional))
        .contains(type == TestCertificates.KeyType.RSA ? "RSA PRIVATE KEY" : "EC PRIVATE KEY");

    Identity identity = read(pair.cert(), traditional);

    assertThat(secret(identity.key())).isEqualTo(secret(read(pair.cert(), pair.key()).key()));
  }

  /** The key's secret number: equal keys in different encodings have the same one. */
  private static BigInteger secret(PrivateKey key) {
    return switch (key) {
      case RSAPrivateKey rsa -> rsa.getPrivateExponent();
      case ECPrivateKey ec -> ec.getS();
      default -> throw new AssertionError(key.getAlgorithm());
    };
  }

  @Test
  void readsAnEcKeyThatOpensslWroteWithItsParametersBlock() throws IOException {
    Path key = dir.resolve("ec.key.pem");
    Files.writeString(
        key,
        TestCertificates.openssl(List.of("openssl", "ecparam", "-genkey", "-name", "prime256v1")));
    assertThat(Files.readString(key)).contains("EC PARAMETERS", "EC PRIVATE KEY");
    Path cert = dir.resolve("ec.crt.pem");
    TestCertificates.openssl(
        List.of(
            "openssl",
            "req",
            "-x509",
            "-key",
            key.toString(),
            "-out",
            cert.toString(),
            "-days",
            "2",
            "-subj",
            "/CN=localhost"));

    assertThat(read(cert, key).key().getAlgorithm()).isEqualTo("EC");
  }

  @Test
  void readsAnEd25519Key() {
    Path key = dir.resolve("ed.key.pem");
    Path cert = dir.resolve("ed.crt.pem");
    TestCertificates.openssl(
        List.of(
            "openssl",
            "req",
            "-x509",
            "-nodes",
            "-newkey",
            "ed25519",
            "-keyout",
            key.toString(),
            "-out",
            cert.toString(),
            "-days",
            "2",
            "-subj",
            "/CN=localhost"));

    assertThat(read(cert, key).key().getAlgorithm()).isIn("EdDSA", "Ed25519");
  }

  @Test
  void keepsTheWholeChainLeafFirst() throws IOException {
    TestCertificates.Pair leaf = TestCertificates.make(dir, "leaf", TestCertificates.KeyType.EC, 1);
    TestCertificates.Pair other = TestCertificates.make(dir, "ca", TestCertificates.KeyType.RSA, 2);
    Path chain = dir.resolve("fullchain.pem");
    Files.writeString(chain, Files.readString(leaf.cert()) + "\n" + Files.readString(other.cert()));

    Identity identity = read(chain, leaf.key());

    assertThat(identity.chain()).hasSize(2);
    assertThat(identity.leaf().getSerialNumber().longValue()).isEqualTo(1);
  }

  @Test
  void refusesAKeyOfAnotherCertificateNamingBothFiles() {
    TestCertificates.Pair one = TestCertificates.make(dir, "one", TestCertificates.KeyType.RSA, 1);
    TestCertificates.Pair two = TestCertificates.make(dir, "two", TestCertificates.KeyType.RSA, 2);

    assertThatThrownBy(() -> read(one.cert(), two.key()))
        .isInstanceOf(BadTlsFiles.class)
        .hasMessageContaining("server.tls.key_file (" + two.key() + ")")
        .hasMessageContaining("does not belong")
        .hasMessageContaining(one.cert().toString());
  }

  @Test
  void refusesAKeyOfAnotherTypeThanTheCertificates() {
    TestCertificates.Pair rsa = TestCertificates.make(dir, "rsa", TestCertificates.KeyType.RSA, 1);
    TestCertificates.Pair ec = TestCertificates.make(dir, "ec", TestCertificates.KeyType.EC, 2);

    assertThatThrownBy(() -> read(rsa.cert(), ec.key()))
        .isInstanceOf(BadTlsFiles.class)
        .hasMessageContaining("server.tls.key_file (" + ec.key() + ")");
  }

  @Test
  void refusesEncryptedKeysInBothFormsWithoutPrintingThem() throws IOException {
    TestCertificates.Pair pair = TestCertificates.make(dir, "a", TestCertificates.KeyType.RSA, 1);
    Path pkcs8 = dir.resolve("enc8.pem");
    TestCertificates.openssl(
        List.of(
            "openssl",
            "pkey",
            "-in",
            pair.key().toString(),
            "-aes256",
            "-passout",
            "pass:secret",
            "-out",
            pkcs8.toString()));
    Path traditional = dir.resolve("enc1.pem");
    TestCertificates.openssl(
        List.of(
            "openssl",
            "rsa",
            "-in",
            pair.key().toString(),
            "-aes256",
            "-passout",
            "pass:secret",
            "-traditional",
            "-out",
            traditional.toString()));
    assertThat(Files.readString(pkcs8)).contains("ENCRYPTED PRIVATE KEY");
    assertThat(Files.readString(traditional)).contains("Proc-Type: 4,ENCRYPTED");

    for (Path key : List.of(pkcs8, traditional)) {
      String body = Files.readString(key).lines().filter(l -> l.length() == 64).findFirst().get();
      assertThatThrownBy(() -> read(pair.cert(), key))
          .isInstanceOf(BadTlsFiles.class)
          .hasMessageContaining("server.tls.key_file (" + key + ")")
          .hasMessageContaining("encrypted")
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain(body));
    }
  }

  @Test
  void namesTheFileThatIsMissingOrHoldsNoCertificate() throws IOException {
    TestCertificates.Pair pair = TestCertificates.make(dir, "a", TestCertificates.KeyType.EC, 1);
    Path missing = dir.resolve("nope.pem");

    assertThatThrownBy(() -> read(missing, pair.key()))
        .hasMessage("server.tls.cert_file (" + missing + "): cannot read it: no such file");
    assertThatThrownBy(() -> read(pair.cert(), missing))
        .hasMessage("server.tls.key_file (" + missing + "): cannot read it: no such file");
    assertThatThrownBy(() -> read(pair.key(), pair.key()))
        .isInstanceOf(BadTlsFiles.class)
        .hasMessageContaining("server.tls.cert_file (" + pair.key() + "): holds a private key");
    Path empty = Files.writeString(dir.resolve("empty.pem"), "not pem\n");
    assertThatThrownBy(() -> read(empty, pair.key()))
        .hasMessageContaining("server.tls.cert_file (" + empty + "): no CERTIFICATE block");
    assertThatThrownBy(() -> read(pair.cert(), empty))
        .hasMessageContaining("server.tls.key_file (" + empty + "): no private key block");
  }

  @Test
  void refusesAKeyBlockThatIsNotBase64() throws IOException {
    TestCertificates.Pair pair = TestCertificates.make(dir, "a", TestCertificates.KeyType.EC, 1);
    Path bad =
        Files.writeString(
            dir.resolve("bad.pem"),
            "-----BEGIN PRIVATE KEY-----\n!!!\n-----END PRIVATE KEY-----\n");

    assertThatThrownBy(() -> read(pair.cert(), bad))
        .isInstanceOf(BadTlsFiles.class)
        .hasMessageContaining("server.tls.key_file (" + bad + "): PEM block 1 (PRIVATE KEY)");
  }

  @Test
  void warnsOfAKeyEveryUserMayReadButNotOfAGroupReadableOne() throws IOException {
    TestCertificates.Pair pair = TestCertificates.make(dir, "a", TestCertificates.KeyType.EC, 1);
    ServerTls tls = tls(pair.cert(), pair.key());

    Files.setPosixFilePermissions(pair.key(), PosixFilePermissions.fromString("rw-r--r--"));
    assertThat(IdentityFiles.modeWarning(tls))
        .hasValueSatisfying(
            warning ->
                assertThat(warning)
                    .startsWith("server.tls.key_file (" + pair.key() + ")")
                    .contains("every user"));

    Files.setPosixFilePermissions(pair.key(), PosixFilePermissions.fromString("rw-r-----"));
    assertThat(IdentityFiles.modeWarning(tls)).isEmpty();
    Files.setPosixFilePermissions(pair.key(), PosixFilePermissions.fromString("rw-------"));
    assertThat(IdentityFiles.modeWarning(tls)).isEmpty();
  }
}
