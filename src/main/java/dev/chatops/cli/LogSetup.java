package dev.chatops.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * Logging set up in code, found by Logback through its service loader: no XML is parsed at start.
 * Commands print for people and log only warnings, one plain line each on stderr; the service logs
 * one JSON event per line on stdout ({@link #service}), with the request id of the request it
 * belongs to. Messages never carry secrets.
 *
 * <p>Public, with a public no-argument constructor: Logback finds it through {@code
 * java.util.ServiceLoader} (META-INF/services).
 */
public final class LogSetup extends ContextAwareBase implements Configurator {

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern("chatops: %level %logger{20}: %msg%n%nopex");
    encoder.start();
    install(context, encoder, "System.err", Level.WARN, Level.WARN);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  /** Switches to the service's JSON events: ChatOps at INFO, libraries at WARN. */
  static void service(LoggerContext context) {
    context.reset();
    JsonEncoder encoder = new JsonEncoder();
    encoder.setContext(context);
    encoder.setWithSequenceNumber(false);
    encoder.setWithNanoseconds(false);
    encoder.setWithContext(false);
    encoder.setWithArguments(false);
    encoder.setWithMessage(false);
    encoder.setWithFormattedMessage(true);
    encoder.start();
    install(context, encoder, "System.out", Level.WARN, Level.INFO);
  }

  private static void install(
      LoggerContext context,
      Encoder<ILoggingEvent> encoder,
      String target,
      Level root,
      Level chatops) {
    ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
    appender.setContext(context);
    appender.setName("console");
    appender.setTarget(target);
    appender.setEncoder(encoder);
    appender.start();
    Logger rootLogger = context.getLogger(Logger.ROOT_LOGGER_NAME);
    rootLogger.detachAndStopAllAppenders();
    rootLogger.setLevel(root);
    rootLogger.addAppender(appender);
    context.getLogger("dev.chatops").setLevel(chatops);
  }
}
