package dev.chatops.http;

import dev.chatops.policy.IpLiteral;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The {@link Gate} at Jetty's core, in front of the servlet layer: every {@code /api/} request is
 * admitted or refused here, and a refusal (the whole of a flood of bad keys) is answered without
 * ever reaching the servlet container or Javalin, which more than doubles the refusals a second
 * ({@code scripts/bench-service.sh}; figures in {@code docs/ARCHITECTURE.md}).
 *
 * <p>Signed requests from services outside ({@code /hooks/}, {@code /chat/}) take no key and ignore
 * the allowlist (their routes check the signature and the section's {@code sources}), but spend
 * their source's budget and are refused while it is locked out after authentication failures.
 *
 * <p>The dashboard ({@code /ui/}) and {@code /metrics} take no API key (the first checks a session
 * cookie, the second an optional bearer token) but are behind the allowlist and the budget, as the
 * API is.
 *
 * <p>Every other path ({@code /health}, {@code /ready}, also written with a trailing slash, and
 * unknown paths) takes no key and ignores the allowlist, so that monitors can reach it, but spends
 * its source's {@code per_ip} budget like an API request: without a key, nothing else bounds how
 * often one address may ask.
 */
final class GateHandler extends Handler.Wrapper {

  /** The request attribute that carries the admitted {@code Caller} to the routes. */
  static final String CALLER = "chatops.caller";

  static final String REQUEST_ID = "chatops.request-id";

  /**
   * The request attribute that carries the {@code Gate.SignedAdmitted} of a signed request, of the
   * dashboard's or of {@code /metrics}.
   */
  static final String CLIENT = "chatops.signed-client";

  /** Paths of signed requests from services outside: their signature is checked by the route. */
  static boolean signed(String path) {
    return path.startsWith("/hooks/") || path.startsWith("/chat/");
  }

  /**
   * Paths behind the allowlist that take no API key: the dashboard (a session cookie) and {@code
   * /metrics} (an optional bearer token), each checked by its route.
   */
  static boolean listed(String path) {
    return path.equals("/ui")
        || path.startsWith("/ui/")
        || path.equals("/metrics")
        || path.equals("/metrics/");
  }

  private static final HttpField PROBLEM_TYPE =
      new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, Problems.CONTENT_TYPE + ";charset=utf-8");
  private static final HttpField BEARER_CHALLENGE =
      new PreEncodedHttpField(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"chatops\"");

  private static final String API_KEY = "X-API-Key";
  private static final HttpField CONNECTION_CLOSE =
      new PreEncodedHttpField(HttpHeader.CONNECTION, "close");
  private static final long MAX_DRAINED = 64 * 1024;

  private final Gate gate;

  GateHandler(Handler next, Gate gate) {
    super(next);
    this.gate = gate;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    String path = Request.getPathInContext(request);
    HttpFields headers = request.getHeaders();
    Optional<InetAddress> peer = peer(request.getConnectionMetaData().getRemoteSocketAddress());
    if (peer.isEmpty()) {
      return refuse(
          request,
          response,
          callback,
          RequestIds.fromHeader(headers.get(RequestIds.HEADER)),
          new Gate.Rejected(400, "Bad Request", "unreadable peer address", 0));
    }
    List<String> forwarded = headers.getValuesList("X-Forwarded-For");
    boolean listed = listed(path);
    if (listed || signed(path)) {
      String requestId = RequestIds.fromHeader(headers.get(RequestIds.HEADER));
      request.setAttribute(REQUEST_ID, requestId);
      Gate.Signed decision =
          listed
              ? gate.admitListed(peer.get(), forwarded)
              : gate.admitSigned(peer.get(), forwarded);
      switch (decision) {
        case Gate.SignedAdmitted admitted -> {
          request.setAttribute(CLIENT, admitted);
          return super.handle(request, response, callback);
        }
        case Gate.Rejected rejected -> {
          return refuse(request, response, callback, requestId, rejected);
        }
      }
    }
    if (!path.startsWith("/api/")) {
      Optional<Gate.Rejected> refused = gate.admitWithoutKey(peer.get(), forwarded);
      if (refused.isPresent()) {
        return refuse(
            request,
            response,
            callback,
            RequestIds.fromHeader(headers.get(RequestIds.HEADER)),
            refused.get());
      }
      return super.handle(request, response, callback);
    }
    String requestId = RequestIds.fromHeader(headers.get(RequestIds.HEADER));
    request.setAttribute(REQUEST_ID, requestId);
    // Every line of each credential header: a repeated one is refused, never the first one picked.
    List<String> authorization = headers.getValuesList(HttpHeader.AUTHORIZATION);
    List<String> apiKey = headers.getValuesList(API_KEY);
    switch (gate.admit(peer.get(), forwarded, authorization, apiKey)) {
      case Gate.Admitted admitted -> {
        request.setAttribute(CALLER, admitted.caller());
        return super.handle(request, response, callback);
      }
      case Gate.Rejected rejected -> {
        return refuse(request, response, callback, requestId, rejected);
      }
    }
  }

  private static boolean refuse(
      Request request,
      Response response,
      Callback callback,
      String requestId,
      Gate.Rejected rejected) {
    byte[] body =
        Problems.json(
                rejected.status(),
                rejected.title(),
                rejected.detail(),
                Request.getPathInContext(request),
                requestId)
            .getBytes(StandardCharsets.UTF_8);
    response.setStatus(rejected.status());
    HttpFields.Mutable headers = response.getHeaders();
    headers.put(PROBLEM_TYPE);
    headers.put(HttpHeader.CONTENT_LENGTH, body.length);
    headers.put(RequestIds.HEADER, requestId);
    if (rejected.status() == 401) {
      headers.put(BEARER_CHALLENGE);
    }
    if (rejected.retryAfterSeconds() > 0) {
      headers.put("Retry-After", rejected.retryAfterSeconds());
    }
    if (!bodyAlreadyRead(request)) {
      // Jetty closes a connection whose request body was not read; saying so in the answer keeps
      // a client from sending its next request on a connection about to close.
      headers.put(CONNECTION_CLOSE);
    }
    response.write(true, ByteBuffer.wrap(body), callback);
    return true;
  }

  /**
   * Reads and drops what the client has sent of the refused request's body, without waiting for
   * more (a refused client is owed no thread) and at most {@link #MAX_DRAINED} bytes; whether the
   * whole body was read.
   */
  private static boolean bodyAlreadyRead(Request request) {
    long drained = 0;
    while (true) {
      Content.Chunk chunk = request.read();
      if (chunk == null) {
        return false;
      }
      drained += chunk.remaining();
      boolean last = chunk.isLast();
      boolean failed = Content.Chunk.isFailure(chunk);
      chunk.release();
      if (failed || drained > MAX_DRAINED) {
        return false;
      }
      if (last) {
        return true;
      }
    }
  }

  /**
   * The connection's IP address, without a zone id, an IPv4-mapped IPv6 address as IPv4; empty for
   * a connection that has none (a Unix socket). No name is ever looked up.
   */
  static Optional<InetAddress> peer(SocketAddress remote) {
    if (remote instanceof InetSocketAddress socket && socket.getAddress() != null) {
      return Optional.of(IpLiteral.address(socket.getAddress().getAddress()));
    }
    return Optional.empty();
  }
}
