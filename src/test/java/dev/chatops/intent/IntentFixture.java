package dev.chatops.intent;

import dev.chatops.yaml.Problem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** A folder of intent files and a stack root, for loading tests. */
final class IntentFixture {

  static final IntentSchema SCHEMA = IntentSchema.load();

  final Path dir;
  final Path intents;
  final Path stacks;

  IntentFixture(Path dir) throws IOException {
    this.dir = dir.toRealPath();
    this.intents = Files.createDirectories(this.dir.resolve("intents"));
    this.stacks = Files.createDirectories(this.dir.resolve("stacks"));
  }

  IntentRules rules() {
    return new IntentRules(List.of(stacks), Set.of("local", "whitebox"));
  }

  Path write(String name, String text) throws IOException {
    Path file = intents.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text, StandardCharsets.UTF_8);
    return file;
  }

  IntentLoader.Result load() throws IOException {
    return new IntentLoader(SCHEMA, rules()).load(List.of(intents), dir);
  }

  /** The formatted problems, as {@code chatops validate} prints them. */
  List<String> problems() throws IOException {
    return load().problems().stream().map(Problem::format).toList();
  }
}
