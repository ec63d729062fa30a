package dev.chatops.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chatops.config.Execution.WhenBusy;
import dev.chatops.exec.ProcessRunner;
import dev.chatops.exec.StepListener;
import dev.chatops.intent.ComposeFileCheck;
import dev.chatops.intent.IntentCatalog;
import dev.chatops.intent.IntentLoader;
import dev.chatops.intent.IntentRules;
import dev.chatops.intent.IntentSchema;
import dev.chatops.testing.DockerEngine;
import dev.chatops.testing.ExampleStacks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Intents written for a test, over copies of the example stacks, run by a real executor with the
 * Compose flavour under test.
 */
final class DockerFixture implements AutoCloseable {

  static final String DOWN_SOCKET = "unix:///tmp/chatops-no-such-daemon/docker.sock";
  private static final IntentSchema SCHEMA = IntentSchema.load();

  final Path dir;
  final ExampleStacks stacks;
  private final Path intents;
  private int files;

  DockerFixture(Path dir) throws IOException {
    this.dir = dir.toRealPath();
    this.stacks = new ExampleStacks(this.dir);
    this.intents = Files.createDirectories(this.dir.resolve("intents"));
  }

  void intent(String yaml) throws IOException {
    Files.writeString(intents.resolve("intent-" + files++ + ".yaml"), yaml);
  }

  IntentCatalog catalog() throws IOException {
    IntentLoader.Result result =
        new IntentLoader(SCHEMA, new IntentRules(List.of(stacks.root()), Set.of("local", "down")))
            .load(List.of(intents), dir);
    assertThat(result.problems()).isEmpty();
    return result.catalog();
  }

  Executor executor(WhenBusy whenBusy) throws IOException {
    return executor(whenBusy, DockerEngine.runner());
  }

  Executor executor(WhenBusy whenBusy, ProcessRunner runner) throws IOException {
    return new Executor(
        catalog(),
        Map.of("local", "unix:///var/run/docker.sock", "down", DOWN_SOCKET),
        new ComposeFileCheck(List.of(stacks.root())),
        runner,
        new StackLocks(whenBusy, 32),
        new Executor.Options(DockerEngine.flavour(), 3, Duration.ofMinutes(2), dir),
        Clock.systemUTC());
  }

  Report run(String intent, Map<String, String> params) throws IOException {
    return executor(WhenBusy.QUEUE)
        .run(intent, params, Executor.Mode.LIVE, name -> StepListener.NONE);
  }

  @Override
  public void close() throws IOException {
    stacks.close();
  }
}
