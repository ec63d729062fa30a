package dev.chatops.cli;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import java.net.URL;
import org.slf4j.LoggerFactory;

/**
 * Chooses how ChatOps logs: commands print for people and log only warnings (logback.xml); the
 * service logs JSON events, one per line (logback-service.xml).
 */
final class Logging {

  private Logging() {}

  static void forService() {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    URL config = Logging.class.getResource("/logback-service.xml");
    if (config == null) {
      throw new IllegalStateException("logback-service.xml missing from the class path");
    }
    context.reset();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    try {
      configurator.doConfigure(config);
    } catch (JoranException e) {
      throw new IllegalStateException("cannot configure logging: " + e.getMessage(), e);
    }
  }
}
