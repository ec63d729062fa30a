package dev.chatops.cli;

/** How a command prints its findings. */
enum OutputFormat {
  /** One line per problem: {@code PATH:LINE:COL: error: MESSAGE}. */
  text,
  /** One JSON document, for CI and scripts. */
  json,
  /** GitHub Actions workflow commands, which annotate the pull request's diff. */
  github
}
