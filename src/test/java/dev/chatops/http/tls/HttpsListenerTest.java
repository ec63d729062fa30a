package dev.chatops.http.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chatops.config.ServerTls;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.awaitility.Awaitility;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The listener on a real Jetty server on a loopback port, with certificates made by {@code openssl}
 * for the test, and clients that trust only them: the JDK's, and {@code openssl s_client} for the
 * protocol versions the JDK will not offer.
 */
class HttpsListenerTest {

  @TempDir Path dir;

  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable closeable : open.reversed()) {
      closeable.close();
    }
  }

  /** A server whose one handler answers 200 "ok", over {@code listener}'s connector. */
  private int serve(HttpsListener listener) throws Exception {
    Server server = new Server();
    ServerConnector connector = listener.connector(server, new HttpConfiguration(), "127.0.0.1", 0);
    server.addConnector(connector);
    server.setHandler(
        new Handler.Abstract() {
          @Override
          public boolean handle(Request request, Response response, Callback callback) {
            response.setStatus(200);
            response.write(true, ByteBuffer.wrap("ok".getBytes(StandardCharsets.UTF_8)), callback);
            return true;
          }
        });
    server.start();
    open.add(server::stop);
    open.add(listener);
    return connector.getLocalPort();
  }

  private HttpsListener listener(TestCertificates.Pair pair) {
    return HttpsListener.open(
        new ServerTls(pair.cert(), pair.key(), Duration.ofDays(365)),
        Clock.systemUTC(),
        HttpsListener.POLL);
  }

  /**
   * What a TLS connection trusting {@code trusted} sees of a GET /: protocol, serial and answer.
   */
  private record Seen(String protocol, BigInteger serial, String answer) {}

  private static Seen get(int port, SSLContext trusting, String protocol) throws IOException {
    try (SSLSocket socket = (SSLSocket) trusting.getSocketFactory().createSocket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
      socket.setSoTimeout(10_000);
      SSLParameters parameters = socket.getSSLParameters();
      parameters.setProtocols(new String[] {protocol});
      socket.setSSLParameters(parameters);
      socket.startHandshake();
      socket
          .getOutputStream()
          .write(
              "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                  .getBytes(StandardCharsets.US_ASCII));
      String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      X509Certificate presented = (X509Certificate) socket.getSession().getPeerCertificates()[0];
      return new Seen(socket.getSession().getProtocol(), presented.getSerialNumber(), answer);
    }
  }

  private static SSLContext trustingBoth(TestCertificates.Pair one, TestCertificates.Pair two)
      throws Exception {
    java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("one", one.certificate());
    trust.setCertificateEntry("two", two.certificate());
    javax.net.ssl.TrustManagerFactory factory =
        javax.net.ssl.TrustManagerFactory.getInstance(
            javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, factory.getTrustManagers(), null);
    return context;
  }

  @Test
  void servesTls13AndTls12WithStrictTransportSecurity() throws Exception {
    TestCertificates.Pair pair = TestCertificates.make(dir, "a", TestCertificates.KeyType.EC, 7);
    int port = serve(listener(pair));

    for (String protocol : List.of("TLSv1.3", "TLSv1.2")) {
      Seen seen = get(port, pair.trusting(), protocol);
      assertThat(seen.protocol()).isEqualTo(protocol);
      assertThat(seen.answer())
          .startsWith("HTTP/1.1 200")
          .contains("Strict-Transport-Security: max-age=31536000\r\n");
    }
  }

  @Test
  void refusesTls11FromAClientThatSpeaksIt() throws Exception {
    TestCertificates.Pair pair = TestCertificates.make(dir, "a", TestCertificates.KeyType.RSA, 7);
    int port = serve(listener(pair));

    // The same client, with OpenSSL's own floor lowered, is refused 1.1 and served 1.2 ...
    assertThat(sClient(port, "-tls1_1").exit()).isNotZero();
    SClient tls12 = sClient(port, "-tls1_2");
    assertThat(tls12.exit()).isZero();
    assertThat(tls12.output()).contains("Protocol  : TLSv1.2");
    // ... and does speak 1.1 to a server that allows it: the refusal above is the listener's.
    try (OpensslServer permissive = OpensslServer.start(pair)) {
      SClient tls11 = sClient(permissive.port(), "-tls1_1");
      assertThat(tls11.exit()).isZero();
      assertThat(tls11.output()).contains("Protocol  : TLSv1.1");
    }
  }

  @Test
  void aPlainHttpRequestGetsNoAnswer() throws Exception {
    TestCertificates.Pair pair = TestCertificates.make(dir, "a", TestCertificates.KeyType.EC, 7);
    int port = serve(listener(pair));

    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
      socket.setSoTimeout(10_000);
      socket
          .getOutputStream()
          .write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      String reply = readUpTo(socket.getInputStream(), 4096);
      assertThat(reply).doesNotContain("HTTP/1.1 200").doesNotContain("ok");
    }
  }

  @Test
  void newConnectionsGetARenewedPairWithoutARestart() throws Exception {
    TestCertificates.Pair first =
        TestCertificates.make(dir, "first", TestCertificates.KeyType.RSA, 1);
    Path live = Files.createDirectories(dir.resolve("live"));
    TestCertificates.Pair files =
        new TestCertificates.Pair(live.resolve("fullchain.pem"), live.resolve("privkey.pem"));
    Files.copy(first.cert(), files.cert());
    Files.copy(first.key(), files.key());
    HttpsListener listener = listener(files);
    int port = serve(listener);
    TestCertificates.Pair second =
        TestCertificates.make(dir, "second", TestCertificates.KeyType.EC, 2);
    SSLContext trusting = trustingBoth(first, second);
    assertThat(listener.checkFiles()).isFalse();

    Files.copy(second.cert(), files.cert(), StandardCopyOption.REPLACE_EXISTING);
    Files.copy(second.key(), files.key(), StandardCopyOption.REPLACE_EXISTING);
    assertThat(listener.checkFiles()).isTrue();

    assertThat(get(port, trusting, "TLSv1.3").serial()).isEqualTo(2);
    assertThat(listener.certificate().getSerialNumber().longValue()).isEqualTo(2);
  }

  @Test
  void aHalfWrittenOrMismatchedPairKeepsTheLastGoodCertificate() throws Exception {
    TestCertificates.Pair first =
        TestCertificates.make(dir, "first", TestCertificates.KeyType.EC, 1);
    TestCertificates.Pair second =
        TestCertificates.make(dir, "second", TestCertificates.KeyType.EC, 2);
    Path live = Files.createDirectories(dir.resolve("live"));
    TestCertificates.Pair files =
        new TestCertificates.Pair(live.resolve("fullchain.pem"), live.resolve("privkey.pem"));
    Files.copy(first.cert(), files.cert());
    Files.copy(first.key(), files.key());
    HttpsListener listener = listener(files);
    int port = serve(listener);
    SSLContext trusting = trustingBoth(first, second);

    // The renewal wrote the certificate, not yet the key: the pair does not match.
    Files.copy(second.cert(), files.cert(), StandardCopyOption.REPLACE_EXISTING);
    assertThat(listener.checkFiles()).isFalse();
    assertThat(get(port, trusting, "TLSv1.3").serial()).isEqualTo(1);
    // Then the key half written; then gone for a moment.
    String key = Files.readString(second.key());
    Files.writeString(files.key(), key.substring(0, key.length() / 2));
    assertThat(listener.checkFiles()).isFalse();
    Files.delete(files.key());
    assertThat(listener.checkFiles()).isFalse();
    assertThat(get(port, trusting, "TLSv1.2").serial()).isEqualTo(1);

    Files.copy(second.key(), files.key());
    assertThat(listener.checkFiles()).isTrue();
    assertThat(get(port, trusting, "TLSv1.3").serial()).isEqualTo(2);
  }

  @Test
  void thePollFindsARenewalBySymbolicLinkSwapOnItsOwn() throws Exception {
    TestCertificates.Pair first =
        TestCertificates.make(dir, "first", TestCertificates.KeyType.EC, 1);
    TestCertificates.Pair second =
        TestCertificates.make(dir, "second", TestCertificates.KeyType.EC, 2);
    // As certbot lays them out: live/ links into archive/, switched to the new files on renewal.
    Path live = Files.createDirectories(dir.resolve("live"));
    Path cert = Files.createSymbolicLink(live.resolve("fullchain.pem"), first.cert());
    Path key = Files.createSymbolicLink(live.resolve("privkey.pem"), first.key());
    HttpsListener listener =
        HttpsListener.open(
            new ServerTls(cert, key, Duration.ofDays(1)), Clock.systemUTC(), Duration.ofMillis(50));
    int port = serve(listener);
    listener.watch();
    SSLContext trusting = trustingBoth(first, second);

    swapLink(cert, second.cert());
    swapLink(key, second.key());

    Awaitility.await()
        .atMost(10, TimeUnit.SECONDS)
        .until(() -> get(port, trusting, "TLSv1.3").serial().longValue() == 2);
  }

  @Test
  void refusesToStartOnBadFiles() {
    TestCertificates.Pair one = TestCertificates.make(dir, "one", TestCertificates.KeyType.EC, 1);
    TestCertificates.Pair two = TestCertificates.make(dir, "two", TestCertificates.KeyType.EC, 2);

    assertThatThrownBy(() -> listener(new TestCertificates.Pair(one.cert(), two.key())))
        .isInstanceOf(BadTlsFiles.class)
        .hasMessageStartingWith("server.tls.key_file (" + two.key() + ")");
  }

  private static void swapLink(Path link, Path target) throws IOException {
    Path next = link.resolveSibling(link.getFileName() + ".new");
    Files.createSymbolicLink(next, target);
    Files.move(next, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private static String readUpTo(InputStream in, int limit) throws IOException {
    byte[] buffer = new byte[limit];
    int total = 0;
    try {
      int read;
      while (total < limit && (read = in.read(buffer, total, limit - total)) != -1) {
        total += read;
      }
    } catch (IOException e) {
      // A reset connection: no answer either.
    }
    return new String(buffer, 0, total, StandardCharsets.ISO_8859_1);
  }

  record SClient(int exit, String output) {}

  /** {@code openssl s_client} to {@code port} with {@code version}, with no floor of its own. */
  static SClient sClient(int port, String version) throws Exception {
    Process process =
        OpensslServer.permissive(
                new ProcessBuilder(
                    "openssl",
                    "s_client",
                    "-connect",
                    "127.0.0.1:" + port,
                    version,
                    "-cipher",
                    "DEFAULT:@SECLEVEL=0"))
            .redirectErrorStream(true)
            .start();
    process.getOutputStream().close();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("openssl s_client did not finish");
    }
    return new SClient(process.exitValue(), output);
  }
}
