package dev.chatops.exec;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A program to run: its argv (never passed through a shell) and the only environment variables it
 * gets besides a minimal base.
 */
public record Command(List<String> argv, Map<String, String> environment) {

  private static final Pattern SAFE = Pattern.compile("^[A-Za-z0-9_./:=,@%+-]+$");

  public Command {
    if (argv.isEmpty()) {
      throw new IllegalArgumentException("a command needs a program");
    }
    argv = List.copyOf(argv);
    environment = Collections.unmodifiableMap(new TreeMap<>(environment));
  }

  public Command(List<String> argv) {
    this(argv, Map.of());
  }

  /** The command as a shell would read it, each word quoted when needed: for display only. */
  public String display() {
    String env =
        environment.entrySet().stream()
            .map(e -> e.getKey() + "=" + quote(e.getValue()))
            .collect(Collectors.joining(" "));
    String words = argv.stream().map(Command::quote).collect(Collectors.joining(" "));
    return env.isEmpty() ? words : env + " " + words;
  }

  static String quote(String word) {
    if (!word.isEmpty() && SAFE.matcher(word).matches()) {
      return word;
    }
    return "'" + word.replace("'", "'\\''") + "'";
  }
}
