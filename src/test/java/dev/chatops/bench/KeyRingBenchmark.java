package dev.chatops.bench;

import dev.chatops.policy.ApiKeys;
import dev.chatops.policy.Authentication;
import dev.chatops.policy.KeyRing;
import dev.chatops.policy.NewKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link KeyRing#check} against 100 and 1,000 stored keys: a well-formed key that is not stored
 * (what a client guessing keys costs), the first and the last stored key (the scan has no early
 * exit, so all three should cost the same), and SHA-256 of a key alone (the part that does not grow
 * with the ring). Run by {@code scripts/bench-keys.sh}, never as a test; the last figures are in
 * {@code docs/ARCHITECTURE.md}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class KeyRingBenchmark {

  @Param({"100", "1000"})
  public int keys;

  private KeyRing ring;
  private String unknown;
  private String first;
  private String last;
  private Instant now;

  @Setup
  public void setUp() {
    Clock clock = Clock.systemUTC();
    ApiKeys apiKeys = new ApiKeys(new SecureRandom(), clock);
    List<NewKey> created = new ArrayList<>();
    for (int i = 0; i < keys; i++) {
      created.add((NewKey) apiKeys.create("key-" + i, List.of(), false, Optional.empty()));
    }
    ring = new KeyRing(created.stream().map(NewKey::record).toList());
    unknown = apiKeys.generate();
    first = created.getFirst().key();
    last = created.getLast().key();
    now = clock.instant();
  }

  @Benchmark
  public Authentication unknownKey() {
    return ring.check(unknown, now);
  }

  @Benchmark
  public Authentication firstStoredKey() {
    return ring.check(first, now);
  }

  @Benchmark
  public Authentication lastStoredKey() {
    return ring.check(last, now);
  }

  @Benchmark
  public byte[] sha256Only() throws NoSuchAlgorithmException {
    return MessageDigest.getInstance("SHA-256").digest(unknown.getBytes(StandardCharsets.UTF_8));
  }
}
