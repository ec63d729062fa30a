package dev.chatops.http.tls;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code openssl s_server} on a loopback port, allowing TLS 1.1: the control that shows a client
 * refused by the listener can speak TLS 1.1 at all.
 */
final class OpensslServer implements AutoCloseable {

  private static final Pattern ACCEPT = Pattern.compile("ACCEPT .*:(\\d+)$");

  private final Process process;
  private final int port;

  private OpensslServer(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** OpenSSL without the system's configuration (Debian's sets a TLS 1.2 floor). */
  static ProcessBuilder permissive(ProcessBuilder builder) {
    builder.environment().put("OPENSSL_CONF", "/dev/null");
    return builder;
  }

  static OpensslServer start(TestCertificates.Pair pair) throws Exception {
    Process process =
        permissive(
                new ProcessBuilder(
                    "openssl",
                    "s_server",
                    "-accept",
                    "127.0.0.1:0",
                    "-cert",
                    pair.cert().toString(),
                    "-key",
                    pair.key().toString(),
                    "-cipher",
                    "DEFAULT:@SECLEVEL=0",
                    "-naccept",
                    "1"))
            .redirectErrorStream(true)
            .start();
    // Its standard input stays open: s_server stops at its end.
    BufferedReader output =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    String line;
    while (System.nanoTime() < deadline && (line = output.readLine()) != null) {
      Matcher accept = ACCEPT.matcher(line);
      if (accept.find()) {
        return new OpensslServer(process, Integer.parseInt(accept.group(1)));
      }
    }
    process.destroyForcibly();
    throw new IllegalStateException("openssl s_server did not say where it listens");
  }

  int port() {
    return port;
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
