package dev.chatops.chat.discord;

import dev.chatops.chat.ChatCommand;
import dev.chatops.chat.ChatIdentity;
import dev.chatops.chat.ChatReply;
import dev.chatops.chat.Conversation;
import dev.chatops.chat.FollowUp;
import dev.chatops.config.DiscordSection;
import dev.chatops.inbound.InboundReply;
import dev.chatops.inbound.InboundRequest;
import dev.chatops.inbound.Refusals;
import dev.chatops.policy.Cidr;
import dev.chatops.store.jdbc.SqliteStore;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * An interactions endpoint as the service builds it, on a real SQLite store, sending to a fake
 * Discord API on loopback, with a recording conversation and refusals; and interactions signed as
 * Discord signs them.
 */
final class InteractionFixture implements AutoCloseable {

  static final Instant NOW = Instant.parse("2026-11-30T04:00:00Z");
  static final String APP = DiscordApiFake.APPLICATION;
  static final String TOKEN = "aW50ZXJhY3Rpb246MTE4MDAwMDAwMDAwMDAwMDAwMTp0b2tlbg.x-y_z";
  static final String USER = "803500000000000042";

  /** A refusal as audited. */
  record Refusal(String reason, String actor, String detail) {}

  /** A command as the conversation received it. */
  record Call(ChatIdentity who, ChatCommand command, String source) {}

  final Signer signer = new Signer();
  final DiscordApiFake api = DiscordApiFake.start();
  final SqliteStore store;
  final List<Refusal> refusals = Collections.synchronizedList(new ArrayList<>());
  final List<Call> calls = Collections.synchronizedList(new ArrayList<>());
  final List<Duration> pauses = Collections.synchronizedList(new ArrayList<>());
  final DiscordWebhooks webhooks;
  final DiscordInteractions endpoint;

  /** What the conversation answers (and may send {@code later} before answering). */
  volatile Function<FollowUp, ChatReply> answer =
      later -> reply(ChatReply.Visibility.EPHEMERAL, "accepted");

  InteractionFixture(Path dir, List<Cidr> sources) {
    store = SqliteStore.open(dir.resolve("chatops.db"), InstantSource.fixed(NOW));
    webhooks =
        new DiscordWebhooks(
            api.base(), Duration.ofMillis(500), pauses::add, InstantSource.fixed(NOW));
    Conversation conversation =
        (who, command, source, later) -> {
          calls.add(new Call(who, command, source));
          return answer.apply(later);
        };
    Refusals recording =
        (client, source, reason, actor, detail) -> refusals.add(new Refusal(reason, actor, detail));
    endpoint =
        new DiscordInteractions(
            section(signer.publicKeyHex(), sources),
            conversation,
            store.deliveries(),
            recording,
            webhooks);
  }

  DiscordSection section(String key, List<Cidr> sources) {
    return new DiscordSection(
        key, Optional.of(APP), Optional.empty(), Optional.empty(), api.base(), Map.of(), sources);
  }

  static ChatReply reply(ChatReply.Visibility visibility, String title) {
    return new ChatReply(
        visibility,
        ChatReply.Tone.INFO,
        title,
        "text",
        List.of(),
        Optional.empty(),
        List.of(),
        Optional.empty());
  }

  /** Sends {@code body}, signed now by the application's key. */
  InboundReply send(String body) {
    return send(body, NOW);
  }

  InboundReply send(String body, Instant signedAt) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    String timestamp = Long.toString(signedAt.getEpochSecond());
    return send(bytes, headers(signer.sign(timestamp, bytes), timestamp));
  }

  InboundReply send(byte[] body, Map<String, List<String>> headers) {
    return endpoint.handle(
        new InboundRequest(
            DiscordInteractions.PATH,
            headers,
            body,
            InetAddress.getLoopbackAddress(),
            "127.0.0.1",
            NOW,
            "req-1"));
  }

  static Map<String, List<String>> headers(String signature, String timestamp) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    headers.put("content-type", List.of("application/json"));
    headers.put("x-signature-ed25519", List.of(signature));
    headers.put("x-signature-timestamp", List.of(timestamp));
    return headers;
  }

  static String ping(String id) {
    return """
        {"id":"%s","application_id":"%s","type":1,"token":"%s","version":1,"user":{"id":"%s"},\
        "future_field":{"x":1}}"""
        .formatted(id, APP, TOKEN, USER);
  }

  /** {@code /deploy SUB} in a server, with {@code options} as JSON option objects. */
  static String command(String id, String sub, String options) {
    return """
        {"id":"%s","application_id":"%s","type":2,"token":"%s","version":1,"guild_id":"1",\
        "channel_id":"2","member":{"user":{"id":"%s","username":"ana","global_name":"Ana @everyone"},\
        "roles":[]},"data":{"id":"9","name":"deploy","type":1,"options":[{"name":"%s","type":1,\
        "options":[%s]}]},"locale":"en-US","entitlements":[]}"""
        .formatted(id, APP, TOKEN, USER, sub, options);
  }

  static String option(String name, String value) {
    return "{\"name\":\"%s\",\"type\":3,\"value\":%s}"
        .formatted(name, DiscordMessages.JSON.valueToTree(value).toString());
  }

  /** A click on a button with {@code customId}, in a direct message ({@code user}, no member). */
  static String click(String id, String customId) {
    return """
        {"id":"%s","application_id":"%s","type":3,"token":"%s","version":1,"channel_id":"2",\
        "user":{"id":"%s","username":"bo"},"message":{"id":"5","content":""},\
        "data":{"custom_id":%s,"component_type":2}}"""
        .formatted(id, APP, TOKEN, USER, DiscordMessages.JSON.valueToTree(customId).toString());
  }

  static String body(InboundReply reply) {
    return new String(((InboundReply.Answer) reply).body(), StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    webhooks.close();
    api.close();
    store.close();
  }
}
