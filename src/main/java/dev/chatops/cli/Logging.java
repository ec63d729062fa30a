package dev.chatops.cli;

import ch.qos.logback.classic.LoggerContext;
import org.slf4j.LoggerFactory;

/** Chooses how ChatOps logs; see {@link LogSetup}. */
final class Logging {

  private Logging() {}

  /** From here on, JSON events on stdout, one per line. */
  static void forService() {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      LogSetup.service(context);
    }
  }
}
