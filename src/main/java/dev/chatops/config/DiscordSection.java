package dev.chatops.config;

import dev.chatops.policy.Cidr;
import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code discord} section: a Discord application's interactions endpoint ({@code /deploy}
 * application commands and buttons). Its {@code toString()} shows no secret.
 *
 * @param publicKey the application's Ed25519 public key, 64 hexadecimal digits, as the developer
 *     portal shows it (checked to be a valid key when loaded)
 * @param applicationId the application's id (a snowflake), needed by {@code chatops discord
 *     register-commands}; follow-ups take it from each interaction
 * @param botToken the bot token ({@code bot_token_file}), needed by {@code register-commands} only
 * @param guildId register the commands in this server only (they appear at once), else globally
 * @param apiUrl Discord's HTTP API, {@code https://discord.com/api/v10} unless set; http only to
 *     loopback (tests, proxies)
 * @param users who may do what, by Discord user id; an unlisted user may do nothing
 * @param sources networks requests may come from; empty: any (the signature is the gate)
 */
public record DiscordSection(
    String publicKey,
    Optional<String> applicationId,
    Optional<Secret> botToken,
    Optional<String> guildId,
    URI apiUrl,
    Map<String, ChatUser> users,
    List<Cidr> sources) {

  /** Discord's API unless configured otherwise. */
  public static final URI DEFAULT_API = URI.create("https://discord.com/api/v10");

  public DiscordSection {
    Objects.requireNonNull(publicKey, "publicKey");
    Objects.requireNonNull(applicationId, "applicationId");
    Objects.requireNonNull(botToken, "botToken");
    Objects.requireNonNull(guildId, "guildId");
    Objects.requireNonNull(apiUrl, "apiUrl");
    users = Collections.unmodifiableMap(new LinkedHashMap<>(users));
    sources = List.copyOf(sources);
  }

  @Override
  public String toString() {
    return "DiscordSection[users=" + users.size() + "]";
  }
}
