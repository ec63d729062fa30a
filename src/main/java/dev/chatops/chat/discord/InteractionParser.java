package dev.chatops.chat.discord;

import dev.chatops.chat.ChatCommand;
import dev.chatops.chat.ChatIdentity;
import dev.chatops.chat.CommandText;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Reads a signed interaction: PING (type 1), the {@code /deploy} application command (type 2) with
 * its subcommands, and the Approve/Deny buttons (type 3, {@code custom_id} {@code
 * chatops:approve:ID}). Unknown fields are ignored, as Discord adds fields over time; every value
 * used is checked for shape, since it ends up in paths, the audit trail and messages.
 */
final class InteractionParser {

  /** The application command's name, as {@link CommandRegistration} registers it. */
  static final String COMMAND = "deploy";

  /** Longest {@code params} option taken (the registration sets the same {@code max_length}). */
  static final int MAX_PARAMS = 1000;

  /** Longest intent or stack name option. */
  static final int MAX_NAME = 100;

  private static final Pattern SNOWFLAKE = Pattern.compile("[0-9]{1,20}");

  /** Interaction tokens are URL-safe text; anything else must not reach a path. */
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._-]{1,500}");

  private InteractionParser() {}

  static Interaction parse(byte[] body) {
    JsonNode root;
    try {
      root = DiscordMessages.JSON.readTree(body);
    } catch (JacksonException e) {
      return new Interaction.Malformed("the body is not JSON");
    }
    if (root == null || !root.isObject()) {
      return new Interaction.Malformed("the body is not a JSON object");
    }
    Optional<String> id = text(root, "id").filter(SNOWFLAKE.asMatchPredicate());
    if (id.isEmpty() || !root.path("type").isInt()) {
      return new Interaction.Malformed("an interaction has an id and a type");
    }
    int type = root.path("type").asInt();
    if (type == 1) {
      return new Interaction.Ping(id.get());
    }
    if (type != 2 && type != 3) {
      return new Interaction.Malformed("interaction type " + type + " is not taken");
    }
    Optional<String> application =
        text(root, "application_id").filter(SNOWFLAKE.asMatchPredicate());
    Optional<String> token = text(root, "token").filter(TOKEN.asMatchPredicate());
    // In a server the user is member.user; in a direct message, user.
    JsonNode user =
        root.path("member").path("user").isObject()
            ? root.path("member").path("user")
            : root.path("user");
    Optional<String> userId = text(user, "id").filter(SNOWFLAKE.asMatchPredicate());
    if (application.isEmpty() || token.isEmpty() || userId.isEmpty()) {
      return new Interaction.Malformed("an interaction has an application_id, a token and a user");
    }
    String name =
        text(user, "global_name")
            .or(() -> text(user, "username"))
            .map(DiscordMessages::line)
            .map(text -> DiscordMessages.cut(text, 64))
            .orElse(userId.get());
    ChatIdentity who = new ChatIdentity("discord", userId.get(), name);
    JsonNode data = root.path("data");
    Either command = type == 2 ? command(data) : click(data);
    return switch (command) {
      case Either.Taken taken ->
          new Interaction.Act(
              id.get(), who, taken.command(), application.get(), token.get(), type == 3);
      case Either.Refused refused -> new Interaction.Misuse(id.get(), refused.message());
    };
  }

  private sealed interface Either {
    record Taken(ChatCommand command) implements Either {}

    record Refused(String message) implements Either {}
  }

  private static Either command(JsonNode data) {
    if (!text(data, "name").filter(COMMAND::equals).isPresent()) {
      return new Either.Refused("This application only knows /" + COMMAND + ".");
    }
    JsonNode options = data.path("options");
    if (!options.isArray() || options.size() != 1 || options.get(0).path("type").asInt() != 1) {
      return new Either.Refused("Use one of the /" + COMMAND + " subcommands (see /deploy help).");
    }
    JsonNode sub = options.get(0);
    Map<String, String> values = new LinkedHashMap<>();
    for (JsonNode option : sub.path("options")) {
      Optional<String> key = text(option, "name");
      Optional<String> value = text(option, "value");
      if (key.isEmpty() || value.isEmpty() || values.put(key.get(), value.get()) != null) {
        return new Either.Refused("Each option is given once, as text.");
      }
    }
    String subcommand = text(sub, "name").orElse("");
    return switch (subcommand) {
      case "run", "plan" -> runOrPlan(subcommand.equals("run"), values);
      case "status" -> {
        Optional<String> stack =
            values.containsKey("stack") ? name(values.get("stack")) : Optional.empty();
        yield values.containsKey("stack") && stack.isEmpty()
            ? new Either.Refused("A stack is a name of up to " + MAX_NAME + " characters.")
            : new Either.Taken(new ChatCommand.Status(stack));
      }
      case "history" -> new Either.Taken(new ChatCommand.History());
      case "help" -> new Either.Taken(new ChatCommand.Help());
      case "approve", "deny" ->
          Optional.ofNullable(values.get("id"))
              .filter(CommandText.EXECUTION_ID.asMatchPredicate())
              .<Either>map(
                  exec ->
                      new Either.Taken(new ChatCommand.Decide(exec, subcommand.equals("approve"))))
              .orElse(new Either.Refused("Give the execution's id, as /deploy status shows it."));
      default -> new Either.Refused("Unknown subcommand; see /deploy help.");
    };
  }

  private static Either runOrPlan(boolean run, Map<String, String> values) {
    Optional<String> intent =
        Optional.ofNullable(values.get("intent")).flatMap(InteractionParser::name);
    if (intent.isEmpty()) {
      return new Either.Refused("Give the intent's name (up to " + MAX_NAME + " characters).");
    }
    String text = values.getOrDefault("params", "");
    if (text.length() > MAX_PARAMS) {
      return new Either.Refused("The parameters are longer than " + MAX_PARAMS + " characters.");
    }
    // The parameters read as a typed command's do (chat.CommandText: name=value pairs, values
    // quoted when they hold spaces, control and direction characters refused): `run` keeps an
    // intent named like a keyword an intent.
    String typed = (run ? "run " : "plan ") + intent.get() + " " + text;
    return switch (CommandText.parse(typed)) {
      case CommandText.Understood understood -> new Either.Taken(understood.command());
      case CommandText.NotUnderstood wrong -> new Either.Refused(wrong.problem());
    };
  }

  private static Either click(JsonNode data) {
    String custom = text(data, "custom_id").orElse("");
    boolean approve = custom.startsWith(DiscordMessages.APPROVE);
    boolean deny = custom.startsWith(DiscordMessages.DENY);
    String execution =
        approve
            ? custom.substring(DiscordMessages.APPROVE.length())
            : deny ? custom.substring(DiscordMessages.DENY.length()) : "";
    if (!(approve || deny) || !CommandText.EXECUTION_ID.matcher(execution).matches()) {
      return new Either.Refused("This button is not one of ours.");
    }
    return new Either.Taken(new ChatCommand.Decide(execution, approve));
  }

  private static Optional<String> name(String text) {
    String stripped = text.strip();
    return stripped.isEmpty()
            || stripped.length() > MAX_NAME
            || stripped.chars().anyMatch(c -> c <= ' ' || c == 0x7f)
        ? Optional.empty()
        : Optional.of(stripped);
  }

  private static Optional<String> text(JsonNode node, String field) {
    JsonNode value = node.path(field);
    return value.isString() ? Optional.of(value.asString()) : Optional.empty();
  }

  static List<String> subcommands() {
    return List.of("run", "plan", "status", "history", "approve", "deny", "help");
  }
}
