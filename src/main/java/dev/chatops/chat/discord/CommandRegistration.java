package dev.chatops.chat.discord;

import dev.chatops.config.DiscordSection;
import dev.chatops.config.Secret;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Registers the {@code /deploy} application command and its subcommands with Discord: a bulk
 * overwrite ({@code PUT /applications/{application}/commands}, or {@code
 * .../guilds/{guild}/commands} when a server is configured, where changes show at once), so that
 * running it again changes nothing and commands of older versions disappear.
 */
public final class CommandRegistration {

  /** What Discord answered. */
  public sealed interface Outcome {
    /** Discord took the commands (200). */
    record Registered(int status, String where) implements Outcome {}

    /** Discord refused them, or could not be reached: why, in words fit to print. */
    record Failed(String why) implements Outcome {}
  }

  private final URI api;
  private final String applicationId;
  private final Secret botToken;
  private final Optional<String> guildId;
  private final Duration timeout;
  private final DiscordWebhooks.Pause pause;

  CommandRegistration(
      URI api,
      String applicationId,
      Secret botToken,
      Optional<String> guildId,
      Duration timeout,
      DiscordWebhooks.Pause pause) {
    String base = api.toString();
    this.api = URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
    this.applicationId = Objects.requireNonNull(applicationId, "applicationId");
    this.botToken = Objects.requireNonNull(botToken, "botToken");
    this.guildId = Objects.requireNonNull(guildId, "guildId");
    this.timeout = timeout;
    this.pause = pause;
  }

  /**
   * The registration of {@code section}'s application.
   *
   * @return empty when the section lacks {@code application_id} or {@code bot_token_file}
   */
  public static Optional<CommandRegistration> of(DiscordSection section) {
    if (section.applicationId().isEmpty() || section.botToken().isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new CommandRegistration(
            section.apiUrl(),
            section.applicationId().get(),
            section.botToken().get(),
            section.guildId(),
            Duration.ofSeconds(30),
            Thread::sleep));
  }

  /** Where the commands go: {@code guild 123} or {@code global}. */
  public String where() {
    return guildId.map(guild -> "guild " + guild).orElse("global");
  }

  /**
   * Sends the commands; a 429 is waited out once as Discord says (up to a minute).
   *
   * @throws InterruptedException when interrupted while waiting
   */
  public Outcome register() throws InterruptedException {
    URI target =
        URI.create(
            api
                + "/applications/"
                + applicationId
                + guildId.map(guild -> "/guilds/" + guild).orElse("")
                + "/commands");
    try (HttpClient http = HttpClient.newBuilder().connectTimeout(timeout).build()) {
      for (int attempt = 1; ; attempt++) {
        HttpResponse<String> response;
        try {
          response =
              http.send(
                  HttpRequest.newBuilder(target)
                      .timeout(timeout)
                      .header("Authorization", "Bot " + botToken.reveal())
                      .header("Content-Type", "application/json")
                      .header("User-Agent", DiscordWebhooks.USER_AGENT)
                      .PUT(HttpRequest.BodyPublishers.ofString(commands().toString()))
                      .build(),
                  HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
          return new Outcome.Failed(
              "Discord could not be reached at " + api + " (" + e.getClass().getSimpleName() + ")");
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
          return new Outcome.Registered(status, where());
        }
        Duration wait = DiscordWebhooks.retryAfter(response);
        if (status == 429 && attempt == 1 && wait.compareTo(DiscordWebhooks.LONGEST_WAIT) <= 0) {
          pause.pause(wait);
          continue;
        }
        return new Outcome.Failed(
            "Discord answered "
                + status
                + ": "
                + DiscordMessages.cut(DiscordMessages.line(response.body()), 500)
                + (status == 401 ? " (check bot_token_file)" : ""));
      }
    }
  }

  /** The {@code /deploy} command, as Discord's application command objects. */
  static ArrayNode commands() {
    ArrayNode commands = DiscordMessages.JSON.createArrayNode();
    ObjectNode deploy = commands.addObject();
    deploy.put("name", InteractionParser.COMMAND);
    deploy.put("type", 1); // CHAT_INPUT
    deploy.put("description", "Deploy with ChatOps: run, plan, status, history, approve, deny");
    ArrayNode options = deploy.putArray("options");
    for (String verb : new String[] {"run", "plan"}) {
      ObjectNode sub =
          subcommand(
              options,
              verb,
              verb.equals("run")
                  ? "Run an intent"
                  : "Dry-run an intent: the exact steps, nothing changed");
      text(sub, "intent", "The intent's name", true, InteractionParser.MAX_NAME);
      text(
          sub,
          "params",
          "Parameters: key=value ... (quote values with spaces)",
          false,
          InteractionParser.MAX_PARAMS);
    }
    text(
        subcommand(options, "status", "Running and waiting executions"),
        "stack",
        "Of this stack only",
        false,
        InteractionParser.MAX_NAME);
    subcommand(options, "history", "The last executions you may see");
    text(
        subcommand(options, "approve", "Approve an execution waiting for approval"),
        "id",
        "The execution's id",
        true,
        64);
    text(
        subcommand(options, "deny", "Deny an execution waiting for approval"),
        "id",
        "The execution's id",
        true,
        64);
    subcommand(options, "help", "What the commands are");
    return commands;
  }

  private static ObjectNode subcommand(ArrayNode options, String name, String description) {
    ObjectNode sub = options.addObject();
    sub.put("type", 1); // SUB_COMMAND
    sub.put("name", name);
    sub.put("description", description);
    sub.putArray("options");
    return sub;
  }

  private static void text(
      ObjectNode sub, String name, String description, boolean required, int max) {
    ((ArrayNode) sub.get("options"))
        .addObject()
        .put("type", 3) // STRING
        .put("name", name)
        .put("description", description)
        .put("required", required)
        .put("max_length", max);
  }

  @Override
  public String toString() {
    return "CommandRegistration[" + applicationId + ", " + where() + "]"; // never the token
  }
}
