package dev.chatops.cli;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.stream.Stream;

/** The example intents and stacks shipped inside the jar, copied out for the demo. */
final class DemoFiles {

  static final String RESOURCE = "/demo";

  private DemoFiles() {}

  /** Copies the shipped {@code demo/} folder to {@code target}, replacing what is there. */
  static void extract(Path target) throws IOException {
    URL url = DemoFiles.class.getResource(RESOURCE);
    if (url == null) {
      throw new IOException("the demo files are missing from this build");
    }
    URI uri;
    try {
      uri = url.toURI();
    } catch (URISyntaxException e) {
      throw new IOException("unreadable location of the demo files: " + url, e);
    }
    if (uri.getScheme().equals("jar")) {
      try (FileSystem jar = FileSystems.newFileSystem(uri, Map.of())) {
        copy(jar.getPath(RESOURCE), target);
      }
    } else {
      copy(Path.of(uri), target);
    }
  }

  private static void copy(Path source, Path target) throws IOException {
    try (Stream<Path> walk = Files.walk(source)) {
      for (Path path : walk.toList()) {
        Path to = target.resolve(source.relativize(path).toString());
        if (Files.isDirectory(path)) {
          Files.createDirectories(to);
        } else {
          Files.copy(path, to, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }
}
