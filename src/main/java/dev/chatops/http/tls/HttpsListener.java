package dev.chatops.http.tls;

import dev.chatops.config.ServerTls;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.HexFormat;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTPS listener of {@code server.tls}: a Jetty connector that speaks TLS 1.2 or 1.3 and then
 * HTTP/1.1, adds {@code Strict-Transport-Security} to every answer, and takes a new certificate and
 * key when their files change, without a restart.
 *
 * <p>The files are polled by content (a digest of both), not watched: ACME clients replace them by
 * swapping symbolic links, which file system events report on the link's folder or not at all. A
 * pair that does not form a valid identity (a renewal half written, a key that belongs to another
 * certificate) is logged once and the listener keeps presenting the last good one; connections
 * already open keep theirs.
 */
public final class HttpsListener implements AutoCloseable {

  /** How often the files are read again: a renewal is served within this long. */
  public static final Duration POLL = Duration.ofSeconds(10);

  private static final Logger LOG = LoggerFactory.getLogger(HttpsListener.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final ServerTls tls;
  private final InstantSource clock;
  private final Duration interval;
  private final SslContextFactory.Server context;
  private final Object lock = new Object();

  /** Of the in-memory key stores: random per process, since nothing is ever written. */
  private final String storePassword;

  private ScheduledExecutorService poll;
  private ScheduledFuture<?> polling;
  private byte[] lastSeen;
  private Identity current;

  private HttpsListener(
      ServerTls tls, InstantSource clock, Duration interval, Identity identity, byte[] digest) {
    this.tls = tls;
    this.clock = clock;
    this.interval = interval;
    this.current = identity;
    this.lastSeen = digest;
    this.context = new SslContextFactory.Server();
    // TLS 1.2 and 1.3 only, whatever the JDK's security properties would still allow.
    context.setIncludeProtocols("TLSv1.3", "TLSv1.2");
    // The JDK's enabled suites less Jetty's exclusions (no RSA key exchange, no SHA-1, no CBC
    // without AEAD where Jetty excludes it): strong by default, updated with the JDK.
    context.setRenegotiationAllowed(false);
    // A certificate for an IP address, or one name reached by another, still serves.
    context.setSniRequired(false);
    byte[] random = new byte[16];
    RANDOM.nextBytes(random);
    this.storePassword = HexFormat.of().formatHex(random);
    context.setKeyStore(identity.keyStore(storePassword));
    context.setKeyStorePassword(storePassword);
    context.setKeyManagerPassword(storePassword);
  }

  /**
   * Reads the files of {@code tls} and makes a listener that presents them.
   *
   * @param interval how often the files are read again (tests call {@link #checkFiles()} instead)
   * @throws BadTlsFiles when the files cannot be read or do not form a certificate chain and its
   *     key
   */
  public static HttpsListener open(ServerTls tls, InstantSource clock, Duration interval) {
    IdentityFiles.Contents contents = IdentityFiles.read(tls);
    Identity identity = IdentityFiles.parse(tls, contents);
    IdentityFiles.modeWarning(tls).ifPresent(LOG::warn);
    String validity = identity.validityProblem(clock.instant());
    if (!validity.isEmpty()) {
      LOG.warn("{} ({}): the certificate is {}", IdentityFiles.CERT_KEY, tls.certFile(), validity);
    }
    LOG.info("TLS certificate: {}", identity.describe());
    return new HttpsListener(tls, clock, interval, identity, contents.digest());
  }

  /**
   * The connector on {@code host}:{@code port}: TLS, then HTTP/1.1 with {@code http}'s settings and
   * a customizer that marks requests secure and adds {@code Strict-Transport-Security}.
   */
  public ServerConnector connector(Server server, HttpConfiguration http, String host, int port) {
    HttpConfiguration https = new HttpConfiguration(http);
    // No SNI host check: a client may reach a certificate for a name by its IP (a loopback probe).
    https.addCustomizer(
        new SecureRequestCustomizer(false, false, tls.hstsMaxAge().toSeconds(), false));
    ServerConnector connector =
        new ServerConnector(
            server,
            new SslConnectionFactory(context, HttpVersion.HTTP_1_1.asString()),
            new HttpConnectionFactory(https));
    connector.setHost(host);
    connector.setPort(port);
    return connector;
  }

  /** The value of {@code Strict-Transport-Security} this listener sends: {@code max-age=N}. */
  public String strictTransportSecurity() {
    return "max-age=" + tls.hstsMaxAge().toSeconds();
  }

  /** Starts reading the files every {@code interval}, on a daemon thread of its own. */
  public void watch() {
    synchronized (lock) {
      if (poll != null) {
        return;
      }
      poll =
          Executors.newSingleThreadScheduledExecutor(
              task -> {
                Thread thread = new Thread(task, "chatops-tls-files");
                thread.setDaemon(true);
                return thread;
              });
      polling =
          poll.scheduleWithFixedDelay(
              this::checkFilesLogged,
              interval.toMillis(),
              interval.toMillis(),
              TimeUnit.MILLISECONDS);
    }
  }

  private void checkFilesLogged() {
    try {
      checkFiles();
    } catch (RuntimeException e) {
      LOG.warn("cannot check the TLS files: {}", e.toString());
    }
  }

  /**
   * Reads both files; when their content changed since the last look and they form a valid pair,
   * new connections get it. Whether the presented identity changed.
   */
  public boolean checkFiles() {
    synchronized (lock) {
      IdentityFiles.Contents contents;
      Identity identity;
      try {
        contents = IdentityFiles.read(tls);
      } catch (BadTlsFiles e) {
        // A file missing for a moment (a link being swapped) is a change too: report it once.
        if (lastSeen.length != 0) {
          LOG.warn(
              "TLS files unreadable, still presenting the last good certificate: {}",
              e.getMessage());
          lastSeen = new byte[0];
        }
        return false;
      }
      if (MessageDigest.isEqual(contents.digest(), lastSeen)) {
        return false;
      }
      lastSeen = contents.digest();
      try {
        identity = IdentityFiles.parse(tls, contents);
      } catch (BadTlsFiles e) {
        LOG.warn(
            "TLS files changed but do not form a valid pair, still presenting the last good"
                + " certificate: {}",
            e.getMessage());
        return false;
      }
      IdentityFiles.modeWarning(tls).ifPresent(LOG::warn);
      try {
        context.reload(factory -> factory.setKeyStore(identity.keyStore(storePassword)));
      } catch (Exception e) {
        LOG.warn(
            "cannot load the new TLS certificate, still presenting the last one: {}", e.toString());
        return false;
      }
      String validity = identity.validityProblem(clock.instant());
      if (!validity.isEmpty()) {
        LOG.warn(
            "{} ({}): the new certificate is {}", IdentityFiles.CERT_KEY, tls.certFile(), validity);
      }
      LOG.info(
          "TLS certificate reloaded: {} (was serial {})",
          identity.describe(),
          current.leaf().getSerialNumber().toString(16));
      current = identity;
      return true;
    }
  }

  /** The certificate the listener presents to new connections. */
  public java.security.cert.X509Certificate certificate() {
    synchronized (lock) {
      return current.leaf();
    }
  }

  /** Stops reading the files; the connector is closed with its server. */
  @Override
  public void close() {
    synchronized (lock) {
      if (poll != null) {
        polling.cancel(false);
        poll.shutdownNow();
      }
    }
  }
}
