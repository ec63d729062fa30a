package dev.chatops.exec;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs programs the safe way: an argv (never a shell) with the program resolved to an absolute
 * path, an explicit environment (the service's own is not inherited, only a short allowlist), a
 * working directory, a deadline counted from the start, and the whole process tree killed when it
 * passes. Output is streamed line by line to a listener and kept, redacted and capped.
 *
 * <p>Thread-safe; one runner serves every execution.
 */
public final class ProcessRunner {

  /** Variables a child takes from the service's own environment, when the service has them. */
  public static final List<String> INHERITED =
      List.of(
          "PATH",
          "HOME",
          "LANG",
          "LC_ALL",
          "TZ",
          "TMPDIR",
          "DOCKER_CONFIG",
          "SSH_AUTH_SOCK",
          "XDG_RUNTIME_DIR");

  static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  static final int MAX_LINE_CHARS = 8 * 1024;

  /**
   * How much of one line is read and redacted before the rest of it is skipped: eight times what is
   * kept, so that the redactor sees well past the cut, while a process that writes gigabytes
   * without a newline costs no more memory than this.
   */
  static final int MAX_READ_CHARS = 8 * MAX_LINE_CHARS;

  static final String CUT = " [line cut]";
  private static final Duration READER_GRACE = Duration.ofSeconds(2);

  private final Map<String, String> baseEnvironment;
  private final Redactor redactor;
  private final InstantSource clock;
  private final int maxStoredChars;

  /**
   * @param serviceEnvironment the service's own environment; only {@link #INHERITED} names pass
   * @param maxStoredChars how much of a run's output is kept (the most recent part)
   */
  public ProcessRunner(
      Map<String, String> serviceEnvironment,
      Redactor redactor,
      InstantSource clock,
      int maxStoredChars) {
    Map<String, String> base = new LinkedHashMap<>();
    for (String name : INHERITED) {
      String value = serviceEnvironment.get(name);
      if (value != null) {
        base.put(name, value);
      }
    }
    base.putIfAbsent("PATH", DEFAULT_PATH);
    this.baseEnvironment = Map.copyOf(base);
    this.redactor = redactor;
    this.clock = clock;
    this.maxStoredChars = maxStoredChars;
  }

  /** The absolute path {@code program} resolves to on the runner's PATH. */
  public Optional<Path> resolve(String program) {
    if (program.contains("/")) {
      Path path = Path.of(program);
      return path.isAbsolute() && Files.isRegularFile(path) && Files.isExecutable(path)
          ? Optional.of(path)
          : Optional.empty();
    }
    for (String dir : baseEnvironment.get("PATH").split(":", -1)) {
      if (!dir.startsWith("/")) {
        continue; // a relative PATH entry would depend on the working directory
      }
      Path candidate = Path.of(dir, program);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** The environment a child of {@code command} gets. */
  Map<String, String> environmentFor(Command command) {
    Map<String, String> environment = new LinkedHashMap<>(baseEnvironment);
    environment.putAll(command.environment());
    return environment;
  }

  /**
   * Runs {@code command} in {@code workingDirectory} until it exits or {@code timeout} passes.
   * Never throws for a failing program: the result says how it ended.
   */
  public ProcessResult run(
      Command command, Path workingDirectory, Duration timeout, OutputListener listener) {
    return run(command, workingDirectory, timeout, listener, maxStoredChars);
  }

  /** As {@link #run(Command, Path, Duration, OutputListener)}, keeping up to {@code maxChars}. */
  public ProcessResult run(
      Command command,
      Path workingDirectory,
      Duration timeout,
      OutputListener listener,
      int maxChars) {
    return execute(command, workingDirectory, timeout, listener, maxChars, null);
  }

  /**
   * What {@link #capture} read.
   *
   * @param result how the process ended; its output is standard error alone, redacted and capped
   * @param stdout standard output exactly as written; empty when it was longer than the limit
   */
  public record Captured(ProcessResult result, Optional<String> stdout) {}

  /**
   * Runs {@code command} for its standard output as data to keep, never to show (a resolved Compose
   * definition, which holds the stack's secrets): returned exactly as written, neither redacted
   * (which would keep a masked password in place of the real one) nor cut, nor mixed with standard
   * error (a warning line would break it). Its caller stores it where only this user can read it
   * and never logs it. Standard error goes to the result's output, redacted and capped, for
   * messages.
   */
  public Captured capture(Command command, Path workingDirectory, Duration timeout, int maxChars) {
    VerbatimOutput stdout = new VerbatimOutput(maxChars);
    ProcessResult result =
        execute(command, workingDirectory, timeout, OutputListener.NONE, maxStoredChars, stdout);
    return new Captured(result, stdout.text());
  }

  private ProcessResult execute(
      Command command,
      Path workingDirectory,
      Duration timeout,
      OutputListener listener,
      int maxChars,
      VerbatimOutput verbatim) {
    Instant started = clock.instant();
    String program = command.argv().getFirst();
    Optional<Path> resolved = resolve(program);
    if (resolved.isEmpty()) {
      return notStarted(
          started,
          program.contains("/")
              ? program + " is not an executable file"
              : program + " not found on PATH (" + baseEnvironment.get("PATH") + ")");
    }
    List<String> argv = new ArrayList<>(command.argv());
    argv.set(0, resolved.get().toString());
    ProcessBuilder builder = new ProcessBuilder(argv).directory(workingDirectory.toFile());
    builder.environment().clear();
    builder.environment().putAll(environmentFor(command));
    builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      return notStarted(started, redactor.redact(String.valueOf(e.getMessage())));
    }
    CappedOutput output = new CappedOutput(maxChars);
    Thread out =
        verbatim == null
            ? reader(process.getInputStream(), OutputListener.Stream.STDOUT, output, listener)
            : verbatim.reader(process.getInputStream());
    Thread err = reader(process.getErrorStream(), OutputListener.Stream.STDERR, output, listener);
    ProcessResult.Ending ending;
    try {
      long remaining = timeout.minus(Duration.between(started, clock.instant())).toNanos();
      if (process.waitFor(Math.max(0, remaining), TimeUnit.NANOSECONDS)) {
        ending = ProcessResult.Ending.EXITED;
      } else {
        killTree(process.toHandle());
        ending = ProcessResult.Ending.TIMED_OUT;
      }
    } catch (InterruptedException e) {
      killTree(process.toHandle());
      Thread.currentThread().interrupt();
      ending = ProcessResult.Ending.INTERRUPTED;
    }
    joinReaders(out, err);
    int exitCode = ending == ProcessResult.Ending.EXITED ? process.exitValue() : -1;
    return new ProcessResult(
        ending, exitCode, started, clock.instant(), output.text(), output.truncated(), "");
  }

  private ProcessResult notStarted(Instant started, String why) {
    return new ProcessResult(
        ProcessResult.Ending.NOT_STARTED, -1, started, clock.instant(), "", false, why);
  }

  private Thread reader(
      InputStream stream,
      OutputListener.Stream kind,
      CappedOutput output,
      OutputListener listener) {
    return Thread.ofVirtual()
        .name("process-" + kind.name().toLowerCase(Locale.ROOT))
        .start(
            () -> {
              Redactor.Lines redaction = redactor.lines();
              try (BoundedLines lines =
                  new BoundedLines(
                      new InputStreamReader(stream, StandardCharsets.UTF_8), MAX_READ_CHARS)) {
                String line;
                while ((line = lines.next()) != null) {
                  // Redacted before it is cut, so that a secret across the cut is still seen whole.
                  String clean = redaction.redact(line);
                  if (clean.length() > MAX_LINE_CHARS || lines.cut()) {
                    clean = clean.substring(0, Math.min(clean.length(), MAX_LINE_CHARS)) + CUT;
                  }
                  output.append(clean);
                  listener.line(kind, clean);
                }
              } catch (IOException e) {
                // The stream closed under us (process killed): what was read is kept.
              }
            });
  }

  private static void joinReaders(Thread... readers) {
    for (Thread reader : readers) {
      try {
        if (!reader.join(READER_GRACE)) {
          // A descendant that outlived the process still holds the pipe; stop waiting for it.
          reader.interrupt();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /**
   * Kills {@code root} and every descendant, parents before children so that none can start new
   * ones, taking a fresh look below each before it dies.
   */
  static void killTree(ProcessHandle root) {
    for (int round = 0; round < 3; round++) {
      List<ProcessHandle> tree = new ArrayList<>();
      tree.add(root);
      tree.addAll(root.descendants().toList());
      boolean anyAlive = false;
      for (ProcessHandle handle : tree) {
        List<ProcessHandle> below = handle.descendants().toList();
        if (handle.isAlive()) {
          anyAlive = true;
          handle.destroyForcibly();
        }
        below.forEach(ProcessHandle::destroyForcibly);
      }
      for (ProcessHandle handle : tree) {
        try {
          handle.onExit().get(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        } catch (ExecutionException | TimeoutException e) {
          // checked again in the next round
        }
      }
      if (!anyAlive) {
        return;
      }
    }
  }

  /** Standard output kept exactly, up to a number of characters; read to its end regardless. */
  static final class VerbatimOutput {
    private final int max;
    private final StringBuilder text = new StringBuilder();
    private volatile boolean tooLong;

    VerbatimOutput(int max) {
      this.max = max;
    }

    Thread reader(InputStream stream) {
      return Thread.ofVirtual()
          .name("process-stdout-verbatim")
          .start(
              () -> {
                char[] buffer = new char[8192];
                try (InputStreamReader in = new InputStreamReader(stream, StandardCharsets.UTF_8)) {
                  int read;
                  while ((read = in.read(buffer)) != -1) {
                    synchronized (this) {
                      if (text.length() + read > max) {
                        tooLong = true;
                        text.setLength(0); // drained to the end, so the process never blocks
                      } else if (!tooLong) {
                        text.append(buffer, 0, read);
                      }
                    }
                  }
                } catch (IOException e) {
                  // The stream closed under us (process killed): its ending says so.
                }
              });
    }

    synchronized Optional<String> text() {
      return tooLong ? Optional.empty() : Optional.of(text.toString());
    }
  }

  /** The most recent output, up to a number of characters, in arrival order. */
  static final class CappedOutput {
    private final int max;
    private final ArrayDeque<String> lines = new ArrayDeque<>();
    private int size;
    private boolean truncated;

    CappedOutput(int max) {
      this.max = max;
    }

    synchronized void append(String line) {
      lines.addLast(line);
      size += line.length() + 1;
      while (size > max && !lines.isEmpty()) {
        size -= lines.removeFirst().length() + 1;
        truncated = true;
      }
    }

    synchronized String text() {
      return String.join("\n", lines);
    }

    synchronized boolean truncated() {
      return truncated;
    }
  }
}
