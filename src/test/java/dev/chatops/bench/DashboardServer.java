package dev.chatops.bench;

import dev.chatops.cli.CliContext;
import dev.chatops.cli.Service;
import dev.chatops.config.ChatOpsConfig;
import dev.chatops.config.ConfigLoader;
import dev.chatops.config.ConfigResult;
import dev.chatops.http.ui.Sessions;
import dev.chatops.intent.IntentLoader;
import dev.chatops.intent.IntentRules;
import dev.chatops.intent.IntentSchema;
import dev.chatops.policy.Principal;
import dev.chatops.store.Store;
import dev.chatops.store.jdbc.SqliteStore;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;

/**
 * The service as {@code chatops serve} starts it, with a dashboard session opened in the process
 * for the benchmark's requests (its cookie written to {@code DIR/cookie}): until the dashboard's
 * sign-in with a {@code ui} key lands, nothing outside the process can open one. Runs until killed.
 *
 * <p>Usage: {@code java -cp target/chatops.jar:target/test-classes
 * dev.chatops.bench.DashboardServer DIR/chatops.yaml} (a SQLite store named {@code chatops.db}
 * beside it).
 */
public final class DashboardServer {

  private DashboardServer() {}

  public static void main(String[] args) throws Exception {
    Path file = Path.of(args[0]).toAbsolutePath();
    Path dir = file.getParent();
    ConfigResult result = new ConfigLoader(System.getenv(), dir).load(Optional.of(file));
    if (!(result instanceof ConfigResult.Loaded loaded)) {
      throw new IllegalStateException("configuration not loaded: " + result);
    }
    ChatOpsConfig config = loaded.config();
    IntentLoader.Result intents =
        new IntentLoader(
                IntentSchema.load(),
                new IntentRules(config.stacks().roots(), config.hosts().keySet()))
            .load(List.of(dir.resolve("intents")), dir);
    if (!intents.problems().isEmpty()) {
      throw new IllegalStateException("intents: " + intents.problems());
    }
    Store store = SqliteStore.open(dir.resolve("chatops.db"), Clock.systemUTC());
    PrintWriter silent = new PrintWriter(Writer.nullWriter());
    Service service =
        Service.start(
            new CliContext(
                System.getenv(), dir, Files.createTempDirectory("chatops-bench"), silent, silent),
            config,
            intents.catalog(),
            store,
            new Service.StartOptions(Clock.systemUTC(), OptionalInt.empty(), false));
    Sessions.Opened opened =
        service
            .sessions()
            .open(new Principal("bench", List.of("*"), List.of(), false, true), "127.0.0.1");
    Files.writeString(dir.resolve("cookie"), opened.cookie());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  service.close();
                  store.close();
                  stopped.countDown();
                }));
    System.out.println("ready on port " + service.port());
    stopped.await();
  }
}
