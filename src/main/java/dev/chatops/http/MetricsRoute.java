package dev.chatops.http;

import dev.chatops.config.Secret;
import dev.chatops.inbound.Refusals;
import dev.chatops.metrics.Telemetry;
import dev.chatops.policy.Credentials;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET /metrics} (and {@code /metrics/}): the Prometheus text exposition of every meter. The
 * gate has applied the allowlist and the address's budget and lockout ({@link GateHandler#listed});
 * with {@code metrics.token_file} set, the scrape must also present {@code Authorization: Bearer
 * TOKEN} on exactly one line. A wrong or missing token is 401, audited as an {@code auth_failure}
 * denial and counted towards the address's lockout, as a bad API key is. With metrics disabled the
 * path does not exist (404).
 */
final class MetricsRoute {

  /** The Prometheus text format, version 0.0.4. */
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private MetricsRoute() {}

  static void register(JavalinConfig config, ApiServer.Dependencies deps) {
    if (!deps.metrics().enabled()) {
      return; // the 404 of every unknown path, behind the same gate
    }
    // Only the token's digest is kept: compared in constant time, as long as any token.
    Optional<byte[]> digest = deps.metrics().token().map(Secret::reveal).map(MetricsRoute::sha256);
    // Javalin ignores a trailing slash: this answers /metrics/ too.
    config.routes.get("/metrics", ctx -> scrape(ctx, deps.telemetry(), digest, deps.gate()));
  }

  private static void scrape(
      Context ctx, Telemetry telemetry, Optional<byte[]> token, Refusals refusals) {
    Gate.SignedAdmitted client = ctx.attribute(GateHandler.CLIENT);
    if (client == null) {
      throw new IllegalStateException("a /metrics request reached its route without the gate");
    }
    if (token.isPresent() && !presents(ctx, token.get())) {
      refusals.refuse(
          client.client(), client.source(), Refusals.AUTH_FAILURE, "-", "metrics bearer token");
      ctx.header("WWW-Authenticate", "Bearer realm=\"chatops\"");
      Problems.send(ctx, 401, "Unauthorized", "a valid bearer token is required");
      return;
    }
    Optional<String> text = telemetry.scrape();
    if (text.isEmpty()) {
      Problems.send(ctx, 404, "Not Found", "no such resource: /metrics");
      return;
    }
    ctx.header("Cache-Control", "no-store");
    ctx.contentType(CONTENT_TYPE).result(text.get());
  }

  /** Whether the request's one Authorization line is {@code Bearer} and the token. */
  private static boolean presents(Context ctx, byte[] token) {
    List<String> lines = Collections.list(ctx.req().getHeaders("Authorization"));
    // X-API-Key is not a scrape's header: only the Authorization lines are read.
    return Credentials.fromHeaders(lines, List.of()) instanceof Credentials.Presented presented
        && MessageDigest.isEqual(sha256(presented.key()), token);
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
