package dev.chatops.cli;

import java.util.regex.Pattern;

/** Who acts from the command line, for the audit trail: {@code cli:USER}. */
final class Actors {

  private static final Pattern SAFE = Pattern.compile("[^A-Za-z0-9._-]");

  private Actors() {}

  static String of(CliContext context) {
    String user =
        context
            .environment()
            .getOrDefault("USER", context.environment().getOrDefault("LOGNAME", "unknown"));
    String clean = SAFE.matcher(user).replaceAll("_");
    return "cli:" + (clean.length() > 32 ? clean.substring(0, 32) : clean);
  }
}
