package dev.chatops.deploy.image;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * This machine's Maven repository ({@code ~/.m2/repository}) served read-only on loopback, as the
 * image build's {@code MAVEN_MIRROR_URL}: the build in the container really resolves every artifact
 * over HTTP, but from here rather than from Maven Central (whose TLS the build container cannot
 * verify here, and which would cost minutes per cold build). The Maven distribution the wrapper
 * fetches is served as a tar.gz (the build base has no unzip, so the wrapper asks for one) made
 * from the wrapper's own unpacked copy.
 */
final class LocalMavenMirror implements AutoCloseable {

  private static final String DISTRIBUTION_PREFIX = "/org/apache/maven/apache-maven/";

  /**
   * The mirror's URL is a build argument, and so part of the key of every cached layer after it:
   * one fixed port lets a second build reuse the resolved dependencies. Any free port when taken.
   */
  private static final int PREFERRED_PORT = 47361;

  private final Path repository;
  private final Path distributionTar;
  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(4);

  private LocalMavenMirror(Path repository, Path distributionTar) throws IOException {
    this.repository = repository.toRealPath();
    this.distributionTar = distributionTar;
    this.server = bind();
    server.createContext("/", this::serve);
    server.setExecutor(executor);
    server.start();
  }

  /**
   * Serves {@code repository}; {@code distributionTar} answers the wrapper's request for the Maven
   * distribution.
   */
  static LocalMavenMirror start(Path repository, Path distributionTar) throws IOException {
    if (!Files.isDirectory(repository)) {
      throw new IllegalStateException(
          repository + " is missing: build the project once (./mvnw package) before ImageIT");
    }
    return new LocalMavenMirror(repository, distributionTar);
  }

  private static HttpServer bind() throws IOException {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    try {
      return HttpServer.create(new InetSocketAddress(loopback, PREFERRED_PORT), 16);
    } catch (BindException e) {
      return HttpServer.create(new InetSocketAddress(loopback, 0), 16);
    }
  }

  /** The URL for the build, reached from a build run with {@code --network host}. */
  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private void serve(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      if (!method.equals("GET") && !method.equals("HEAD")) {
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      Path file = resolve(exchange.getRequestURI().getPath());
      if (file == null || !Files.isRegularFile(file)) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      long size = Files.size(file);
      if (method.equals("HEAD")) {
        exchange.getResponseHeaders().set("Content-Length", Long.toString(size));
        exchange.sendResponseHeaders(200, -1);
        return;
      }
      exchange.sendResponseHeaders(200, size);
      try (InputStream in = Files.newInputStream(file);
          OutputStream out = exchange.getResponseBody()) {
        in.transferTo(out);
      }
    }
  }

  /** The file a request path names, or null when it would lead out of the repository. */
  private Path resolve(String path) {
    if (path.startsWith(DISTRIBUTION_PREFIX) && path.endsWith("-bin.tar.gz")) {
      return distributionTar;
    }
    Path file = repository.resolve(path.replaceFirst("^/+", "")).normalize();
    return file.startsWith(repository) ? file : null;
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
