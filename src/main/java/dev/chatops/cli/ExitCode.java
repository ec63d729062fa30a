package dev.chatops.cli;

/** The exit statuses of PRODUCT.md, in one place. */
final class ExitCode {
  static final int OK = 0;
  static final int INVALID = 1;
  static final int USAGE = 2;
  static final int INTERNAL = 70;

  private ExitCode() {}
}
