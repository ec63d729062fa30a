package dev.chatops.http.ui;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * The dashboard's static files, read once from the jar: htmx and its SSE extension from their
 * webjars (nothing is fetched from outside), and the stylesheet and script of {@code
 * src/main/resources/ui}. Only the names listed here are served; no path is ever resolved.
 */
final class Assets {

  /** One file: its text (every one is UTF-8 text) and content type. */
  record Asset(String text, String contentType) {}

  private static final String JS = "text/javascript; charset=utf-8";
  private static final String CSS = "text/css; charset=utf-8";

  private static final Map<String, String[]> FILES =
      Map.of(
          "htmx.min.js",
          new String[] {"/META-INF/resources/webjars/htmx.org/2.0.7/dist/htmx.min.js", JS},
          "sse.js",
          new String[] {"/META-INF/resources/webjars/htmx-ext-sse/2.2.2/sse.js", JS},
          "chatops.css",
          new String[] {"/ui/chatops.css", CSS});

  private final Map<String, Asset> assets;

  Assets() {
    Map<String, Asset> loaded = new java.util.HashMap<>();
    FILES.forEach((name, where) -> loaded.put(name, new Asset(read(where[0]), where[1])));
    this.assets = Map.copyOf(loaded);
  }

  /** The file served as {@code /ui/assets/NAME}, if there is one. */
  Optional<Asset> find(String name) {
    return Optional.ofNullable(assets.get(name));
  }

  private static String read(String resource) {
    try (InputStream in = Assets.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("the jar lacks " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
