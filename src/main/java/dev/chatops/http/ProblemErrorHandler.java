package dev.chatops.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The server's error handler: every error Jetty answers itself, before any handler or route runs,
 * is a problem document instead of Jetty's HTML page. That is every request the HTTP parser refuses
 * (a request line it cannot read, a bad percent-encoding or {@code %00} in the path, a URI too long
 * (414), a header section too large (431), a missing Host, a bad or doubled Content-Length, an
 * unknown HTTP version (505)) and any failure thrown by {@link GateHandler}. Errors inside the
 * servlet layer are Javalin's, answered by {@link Routes}.
 *
 * <p>Jetty still decides whether the connection stays open: after a parser refusal it closes it,
 * since what follows on the connection cannot be trusted. Only a failure to write this answer (a
 * connection already gone) falls back to Jetty's minimal response.
 */
final class ProblemErrorHandler implements Request.Handler {

  private static final int MAX_DETAIL = 200;

  /** The path Jetty gives a refused request whose request line it never read. */
  private static final String NO_URI = "/badMessage";

  private static final HttpField PROBLEM_TYPE =
      new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, Problems.CONTENT_TYPE + ";charset=utf-8");
  private static final HttpField NO_STORE =
      new PreEncodedHttpField(HttpHeader.CACHE_CONTROL, "no-store");

  /** {@code Strict-Transport-Security} for answers on TLS connections; empty: plain HTTP only. */
  private final Optional<HttpField> strictTransportSecurity;

  /**
   * @param strictTransportSecurity the header's value ({@code max-age=N}) when the listener speaks
   *     TLS: Jetty's {@code SecureRequestCustomizer} adds it to every answer but these, whose
   *     request it never saw
   */
  ProblemErrorHandler(Optional<String> strictTransportSecurity) {
    this.strictTransportSecurity =
        strictTransportSecurity.map(
            value -> new PreEncodedHttpField(HttpHeader.STRICT_TRANSPORT_SECURITY, value));
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    int status = status(request, response);
    // Jetty passes on no header of a request its parser refused: the id is almost always new.
    String requestId = RequestIds.fromHeader(request.getHeaders().get(RequestIds.HEADER));
    byte[] body =
        Problems.json(status, title(status), detail(request, status), instance(request), requestId)
            .getBytes(StandardCharsets.UTF_8);
    response.setStatus(status);
    HttpFields.Mutable headers = response.getHeaders();
    headers.put(PROBLEM_TYPE);
    headers.put(NO_STORE);
    headers.put(HttpHeader.CONTENT_LENGTH, body.length);
    headers.put(RequestIds.HEADER, requestId);
    if (request.getConnectionMetaData().isSecure()) {
      strictTransportSecurity.ifPresent(headers::put);
    }
    response.write(true, ByteBuffer.wrap(body), callback);
    return true;
  }

  private static int status(Request request, Response response) {
    if (request.getAttribute(ErrorHandler.ERROR_STATUS) instanceof Integer status
        && status >= 400
        && status <= 599) {
      return status;
    }
    int status = response.getStatus();
    return status >= 400 && status <= 599 ? status : 500;
  }

  private static String title(int status) {
    String reason = HttpStatus.getMessage(status);
    return reason == null || reason.isEmpty() ? "Error" : reason;
  }

  /**
   * Jetty's reason for a refusal ("No Host", "Invalid Content-Length Value"), cut; never the
   * message of a server-side failure, which may name internals.
   */
  private static String detail(Request request, int status) {
    if (status >= 500 && status != HttpStatus.HTTP_VERSION_NOT_SUPPORTED_505) {
      return "an unexpected error occurred; see the service log";
    }
    Object message = request.getAttribute(ErrorHandler.ERROR_MESSAGE);
    String text = message instanceof String given && !given.isBlank() ? given : title(status);
    return "the request was refused before it reached the API: " + Problems.cut(text, MAX_DETAIL);
  }

  /** The request's path, cut; null (left out) when Jetty never read one. */
  private static String instance(Request request) {
    String path = request.getHttpURI().getPath();
    if (path == null || path.isEmpty() || path.equals(NO_URI)) {
      return null;
    }
    return path; // cut by Problems.json, as every problem's instance is
  }
}
