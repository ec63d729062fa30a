package dev.chatops.config;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;

/**
 * The built-in values, in one place: {@link ChatOpsConfig#defaults(Path)} and the binder (for keys
 * the file and environment leave out) both use them.
 */
final class Defaults {

  static final String BIND = "127.0.0.1";
  static final int PORT = 8080;
  static final int MAX_EVENT_STREAMS = 256;
  static final int MAX_EVENT_STREAMS_PER_KEY = 16;
  static final java.time.Duration EVENT_STREAM_LIFETIME = java.time.Duration.ofHours(1);
  static final String INTENTS_DIR = "./intents";
  static final String STACK_ROOT = "/opt/stacks";
  static final ComposeMode COMPOSE = ComposeMode.AUTO;
  static final List<String> IP_ALLOWLIST = List.of("127.0.0.1/32", "::1/128");
  static final String RATE_PER_KEY = "30/min";
  static final String RATE_PER_IP = "120/min";
  static final String SQLITE_FILE = "./data/chatops.db";
  static final String BRANCH = "main";
  static final boolean PROXMOX_VERIFY_TLS = true;

  private Defaults() {}

  static InetAddress bind() {
    return IpLiteral.check(BIND).orThrow();
  }

  static Server server() {
    return new Server(bind(), PORT, List.of());
  }

  static Intents intents(Path base) {
    return new Intents(base.resolve(INTENTS_DIR).normalize());
  }

  static Stacks stacks() {
    return new Stacks(List.of(Path.of(STACK_ROOT)));
  }

  static Docker docker() {
    return new Docker(COMPOSE);
  }

  static Execution execution() {
    return new Execution(
        Execution.WhenBusy.QUEUE,
        16,
        4,
        java.time.Duration.ofMinutes(10),
        java.time.Duration.ofMinutes(1));
  }

  static List<Cidr> ipAllowlist() {
    return IP_ALLOWLIST.stream().map(Cidr::parse).toList();
  }

  static Security.RateLimit rateLimit() {
    return new Security.RateLimit(Rate.parse(RATE_PER_KEY), Rate.parse(RATE_PER_IP));
  }

  static Security security() {
    return new Security(ipAllowlist(), rateLimit());
  }

  static Store store(Path base) {
    return new Store.Sqlite(base.resolve(SQLITE_FILE).normalize());
  }
}
