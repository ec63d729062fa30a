package dev.chatops.bench;

import java.io.IOException;
import java.nio.file.Path;

/** Writes a benchmark corpus from the command line: {@code WriteCorpus DIR COUNT}. */
public final class WriteCorpus {

  private WriteCorpus() {}

  public static void main(String[] args) throws IOException {
    IntentCorpus.write(Path.of(args[0]), Integer.parseInt(args[1]));
  }
}
