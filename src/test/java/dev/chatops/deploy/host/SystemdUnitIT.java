package dev.chatops.deploy.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code deploy/systemd}: the unit passes {@code systemd-analyze verify} and scores "OK" in its
 * offline security analysis, and its readiness script waits for {@code /ready} as it says. No
 * systemd runs as PID 1 here: the unit itself is never started, so its sandbox and system-call
 * filter are never exercised against the JVM.
 */
@Tag("systemd")
class SystemdUnitIT {

  private static final Path PROJECT = Path.of("").toAbsolutePath();
  private static final Path UNIT = PROJECT.resolve("deploy/systemd/chatops.service");
  private static final Path READY = PROJECT.resolve("deploy/systemd/chatops-ready");
  private static final Duration TOOL_DEADLINE = Duration.ofMinutes(1);
  private static final Pattern EXPOSURE =
      Pattern.compile("Overall exposure level for chatops\\.service: (\\d+\\.\\d+) (\\S+)");

  @TempDir Path tmp;

  /**
   * A root holding the unit with its drop-in, the programs it starts (verify checks that they exist
   * and are executable) and the system's own units (verify follows the default dependencies to
   * sysinit.target and the like).
   */
  private Path root() throws IOException {
    Path root = tmp.resolve("root");
    Path bin = Files.createDirectories(root.resolve("opt/chatops/bin"));
    Files.copy(
        PROJECT.resolve("bin/chatops"), bin.resolve("chatops"), StandardCopyOption.COPY_ATTRIBUTES);
    Files.copy(READY, bin.resolve("chatops-ready"), StandardCopyOption.COPY_ATTRIBUTES);
    Path units = Files.createDirectories(root.resolve("etc/systemd/system/chatops.service.d"));
    Files.copy(UNIT, units.resolveSibling("chatops.service"));
    Files.copy(PROJECT.resolve("deploy/systemd/java-home.conf"), units.resolve("java-home.conf"));
    Path system = Path.of("/usr/lib/systemd/system");
    assertThat(system)
        .as("systemd is not installed: scripts/test-env.sh installs it")
        .isDirectory();
    Path copy = Files.createDirectories(root.resolve("usr/lib/systemd/system"));
    try (var files = Files.list(system)) {
      for (Path file : files.toList()) {
        Files.copy(
            file,
            copy.resolve(file.getFileName()),
            StandardCopyOption.COPY_ATTRIBUTES,
            java.nio.file.LinkOption.NOFOLLOW_LINKS);
      }
    }
    return root;
  }

  private Commands.Ran verify(Path root) throws Exception {
    return Commands.run(
        tmp,
        Map.of(),
        TOOL_DEADLINE,
        List.of("systemd-analyze", "verify", "--root=" + root, "chatops.service"));
  }

  @Test
  void theUnitAsShippedVerifiesWithoutAWarning() throws Exception {
    Commands.Ran ran = verify(root());

    // Unknown keys and bad values are warnings that leave the status at 0: the output must be
    // empty too.
    assertThat(ran.status()).as(ran.out()).isZero();
    assertThat(ran.out()).isEmpty();
  }

  @Test
  void verifyReportsAMisspelledSettingAndAMissingProgram() throws Exception {
    Path root = root();
    Path unit = root.resolve("etc/systemd/system/chatops.service");
    Files.writeString(
        unit, Files.readString(unit).replace("ProtectSystem=strict", "ProtectSystm=strict"));
    Files.delete(root.resolve("opt/chatops/bin/chatops-ready"));

    Commands.Ran ran = verify(root);

    assertThat(ran.status()).isNotZero();
    assertThat(ran.out())
        .contains("Unknown key 'ProtectSystm'")
        .contains("/opt/chatops/bin/chatops-ready is not executable");
  }

  @Test
  void theOfflineSecurityAnalysisRatesTheUnitOk() throws Exception {
    Commands.Ran ran =
        Commands.run(
            tmp,
            Map.of(),
            TOOL_DEADLINE,
            List.of(
                "systemd-analyze", "security", "--offline=true", "--no-pager", UNIT.toString()));

    Matcher exposure = EXPOSURE.matcher(ran.out());
    assertThat(exposure.find()).as(ran.out()).isTrue();
    // Printed for the report: the figure docs/ARCHITECTURE.md quotes.
    System.out.println("systemd-analyze security --offline=true: " + exposure.group(0));
    assertThat(Double.parseDouble(exposure.group(1))).as(ran.out()).isLessThanOrEqualTo(3.5);
    assertThat(exposure.group(2)).isEqualTo("OK");
  }

  @Test
  void theUnitHandsEachSecretOverAsACredentialFromTheSecretsFolder() throws IOException {
    List<String> credentials = new ArrayList<>();
    for (String line : Files.readAllLines(UNIT)) {
      String setting = line.startsWith("#LoadCredential=") ? line.substring(1) : line;
      if (setting.startsWith("LoadCredential=")) {
        credentials.add(setting.substring("LoadCredential=".length()));
      }
    }

    assertThat(credentials)
        .containsExactly(
            "github-webhook-secret:/etc/chatops/secrets/github-webhook-secret",
            "github-token:/etc/chatops/secrets/github-token",
            "slack-signing-secret:/etc/chatops/secrets/slack-signing-secret",
            "discord-bot-token:/etc/chatops/secrets/discord-bot-token",
            "notify-discord-url:/etc/chatops/secrets/notify-discord-url",
            "store-password:/etc/chatops/secrets/store-password");
  }

  private Commands.Ran ready(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(READY.toString()));
    command.addAll(List.of(args));
    return Commands.run(tmp, Map.of(), Duration.ofSeconds(30), command);
  }

  @Test
  void theReadinessScriptWaitsUntilTheServiceTurnsReady() throws Exception {
    try (ReadyServer server = new ReadyServer(3, null)) {
      Commands.Ran ran = ready("--url", server.url(), "--timeout", "20");

      assertThat(ran.status()).as(ran.out()).isZero();
      assertThat(server.requests()).isEqualTo(4);
    }
  }

  @Test
  void theReadinessScriptGivesUpAfterItsBound() throws Exception {
    try (ReadyServer server = new ReadyServer(Integer.MAX_VALUE, null)) {
      Commands.Ran ran = ready("--url", server.url(), "--timeout", "2");

      assertThat(ran.status()).isEqualTo(1);
      assertThat(ran.out()).contains("did not answer ready within 2s (last answer: 503)");
      assertThat(ran.took()).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(10));
    }
  }

  @Test
  void theReadinessScriptWaitsForAPortThatIsNotOpenYetWithinItsBound() throws Exception {
    String url;
    try (ReadyServer closed = new ReadyServer(0, null)) {
      url = closed.url();
    }

    Commands.Ran ran = ready("--url", url, "--timeout", "1");

    assertThat(ran.status()).isEqualTo(1);
    assertThat(ran.out()).contains("(last answer: 000)");
  }

  @Test
  void theReadinessScriptStopsWaitingWhenTheServiceEnds() throws Exception {
    Process ended = new ProcessBuilder("true").start();
    ended.waitFor();
    try (ReadyServer server = new ReadyServer(Integer.MAX_VALUE, null)) {
      Commands.Ran ran =
          ready("--url", server.url(), "--timeout", "20", "--pid", String.valueOf(ended.pid()));

      assertThat(ran.status()).isEqualTo(1);
      assertThat(ran.out()).contains("ended before");
      assertThat(ran.took()).isLessThan(Duration.ofSeconds(10));
    }
  }

  @Test
  void theReadinessScriptSpeaksHttpsAndChecksTheCertificateWhenGivenOne() throws Exception {
    Path cert = certificate("ready");
    Path other = certificate("other");
    SSLContext tls = serverContext(cert, tmp.resolve("ready.key"));

    try (ReadyServer server = new ReadyServer(1, tls)) {
      assertThat(ready("--url", server.url(), "--timeout", "20").status()).isZero();
      assertThat(
              ready("--url", server.url(), "--timeout", "20", "--cacert", cert.toString()).status())
          .isZero();
      Commands.Ran wrong =
          ready("--url", server.url(), "--timeout", "1", "--cacert", other.toString());
      assertThat(wrong.status()).isEqualTo(1);
      assertThat(wrong.out()).contains("(last answer: 000)");
    }
  }

  @Test
  void theReadinessScriptRefusesAUrlWithoutAScheme() throws Exception {
    Commands.Ran ran = ready("--url", "127.0.0.1:8080/ready");

    assertThat(ran.status()).isEqualTo(2);
    assertThat(ran.out()).contains("must start with http:// or https://");
  }

  /**
   * A self-signed certificate for 127.0.0.1, {@code NAME.pem}, with its key in {@code NAME.key}.
   */
  private Path certificate(String name) throws Exception {
    Path cert = tmp.resolve(name + ".pem");
    Commands.Ran ran =
        Commands.run(
            tmp,
            Map.of(),
            TOOL_DEADLINE,
            List.of(
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:prime256v1",
                "-nodes",
                "-subj",
                "/CN=" + name,
                "-addext",
                "subjectAltName=IP:127.0.0.1",
                "-days",
                "2",
                "-keyout",
                tmp.resolve(name + ".key").toString(),
                "-out",
                cert.toString()));
    assertThat(ran.status()).as(ran.out()).isZero();
    return cert;
  }

  /** A server's TLS context from a PEM certificate and its PKCS#8 PEM key. */
  private static SSLContext serverContext(Path cert, Path key) throws Exception {
    Certificate certificate;
    try (InputStream in = Files.newInputStream(cert)) {
      certificate = CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
    String pem = Files.readString(key).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    PrivateKey privateKey =
        KeyFactory.getInstance("EC")
            .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    char[] password = "unused".toCharArray();
    keys.setKeyEntry("ready", privateKey, password, new Certificate[] {certificate});
    KeyManagerFactory managers = KeyManagerFactory.getInstance("PKIX");
    managers.init(keys, password);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(managers.getKeyManagers(), null, null);
    return tls;
  }
}
