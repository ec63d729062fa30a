package dev.chatops.cli;

import dev.chatops.engine.Caller;
import java.util.regex.Pattern;

/** Who acts from the command line, for the audit trail: {@code cli:USER}. */
final class Actors {

  private static final Pattern SAFE = Pattern.compile("[^A-Za-z0-9._-]");
  private static final Pattern USER = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  /** The actor of an operator whose {@code USER} is not a plain user name. */
  static final String UNKNOWN = "cli:unknown";

  private Actors() {}

  /** The actor of a key change: {@code USER} (or {@code LOGNAME}) with odd characters replaced. */
  static String of(CliContext context) {
    String user =
        context
            .environment()
            .getOrDefault("USER", context.environment().getOrDefault("LOGNAME", "unknown"));
    String clean = SAFE.matcher(user).replaceAll("_");
    return "cli:" + (clean.length() > 32 ? clean.substring(0, 32) : clean);
  }

  /**
   * The operator who runs, approves or denies an execution: {@code cli:USER}, or {@code
   * cli:unknown} when {@code USER} is not a plain user name. One derivation for all three, since
   * the requester of an execution may not approve it: {@code run} and {@code approve} must name the
   * same person the same way.
   */
  static Caller caller(CliContext context) {
    String user = context.environment().getOrDefault("USER", System.getProperty("user.name", ""));
    return USER.matcher(user).matches()
        ? Caller.commandLine(user)
        : Caller.commandLine(UNKNOWN.substring("cli:".length()));
  }
}
