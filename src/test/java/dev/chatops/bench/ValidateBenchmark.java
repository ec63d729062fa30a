package dev.chatops.bench;

import dev.chatops.intent.IntentLoader;
import dev.chatops.intent.IntentRules;
import dev.chatops.intent.IntentSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Loading and validating a folder of intent files in-process, warm: files read, parsed, checked
 * against the schema, bound, and checked together. Target: 1,000 files under 1 s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ValidateBenchmark {

  @Param({"1000"})
  public int files;

  private Path dir;
  private IntentLoader loader;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    dir = Files.createTempDirectory("chatops-bench").toRealPath();
    IntentCorpus.write(dir, files);
    loader =
        new IntentLoader(
            IntentSchema.load(), new IntentRules(List.of(dir.resolve("stacks")), Set.of("local")));
    IntentLoader.Result result = loader.load(List.of(dir.resolve("intents")), dir);
    if (!result.valid()) {
      throw new IllegalStateException(
          "corpus is invalid: " + result.problems().getFirst().format());
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }

  @Benchmark
  public IntentLoader.Result validateFolder() throws IOException {
    return loader.load(List.of(dir.resolve("intents")), dir);
  }
}
