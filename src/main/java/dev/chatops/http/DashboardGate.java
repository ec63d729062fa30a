package dev.chatops.http;

import dev.chatops.inbound.Refusals;
import io.javalin.http.Context;
import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * What the dashboard (package {@code http.ui}) needs of the gate, whose types are this package's:
 * who the gate admitted a request from, and where a refused sign-in is reported.
 */
public final class DashboardGate {

  private DashboardGate() {}

  /**
   * A client the gate admitted to a dashboard path.
   *
   * @param address its address, after trusted proxies (the lockout counts against it)
   * @param source the address as the audit trail writes it
   */
  public record Client(InetAddress address, String source) {
    public Client {
      Objects.requireNonNull(address, "address");
      Objects.requireNonNull(source, "source");
    }
  }

  /** The client the gate admitted this request from; empty off the gate's listed paths. */
  public static Optional<Client> client(Context ctx) {
    return ctx.attribute(GateHandler.CLIENT) instanceof Gate.SignedAdmitted admitted
        ? Optional.of(new Client(admitted.client(), admitted.source()))
        : Optional.empty();
  }

  /**
   * Where the dashboard reports a refused sign-in: the gate's denial records, and the lockout of
   * the address ({@link Refusals#AUTH_FAILURE}).
   */
  public static Refusals refusals(ApiServer.Dependencies deps) {
    return deps.gate();
  }
}
