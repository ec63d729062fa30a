package dev.chatops.metrics;

import java.util.List;

/**
 * Every meter ChatOps registers, named once: the Micrometer name, the series Prometheus shows, the
 * tags and what each measures. The Grafana dashboard ({@code deploy/grafana/}) and the alert rules
 * ({@code deploy/prometheus/}) use these series and no others. Tag values are bounded: intent,
 * stack and channel names come from the configuration and the intents, never from a request;
 * parameters, ids, actors and addresses are never tags.
 */
public final class MeterNames {

  private MeterNames() {}

  /** What kind of meter, as Prometheus types it. */
  public enum Kind {
    COUNTER,
    GAUGE,
    HISTOGRAM
  }

  /**
   * One meter.
   *
   * @param name the Micrometer name
   * @param series the Prometheus name (a histogram's {@code _bucket}, {@code _sum} and {@code
   *     _count} series share it; a counter's ends in {@code _total})
   * @param kind the Prometheus type
   * @param tags the tag keys, always all present
   * @param help what it measures
   */
  public record Meter(String name, String series, Kind kind, List<String> tags, String help) {

    public Meter {
      tags = List.copyOf(tags);
    }
  }

  /**
   * Executions that ended, by intent, action ({@code scale}, {@code rollout}, {@code restart},
   * {@code backup}, {@code batch}), outcome (the execution's final status: {@code succeeded},
   * {@code failed}, {@code rolled_back}, {@code interrupted}, {@code denied}, {@code expired},
   * {@code cancelled}) and whether it was a dry run ({@code true}, {@code false}).
   */
  public static final Meter EXECUTIONS =
      new Meter(
          "chatops.executions",
          "chatops_executions_total",
          Kind.COUNTER,
          List.of("intent", "action", "outcome", "dry_run"),
          "Executions that ended, by intent, action, outcome and dry run");

  /** How long executions ran, from start to end (not their wait for approvals). */
  public static final Meter EXECUTION_DURATION =
      new Meter(
          "chatops.execution.duration",
          "chatops_execution_duration_seconds",
          Kind.HISTOGRAM,
          List.of("intent", "action", "outcome"),
          "How long executions ran");

  /**
   * How long each recorded step (one program run) took, by action and step kind: the Compose or
   * Docker verb from a fixed list ({@code pull}, {@code up}, {@code scale}, {@code restart}, {@code
   * ps}, {@code inspect}, {@code tag}, {@code rmi}, {@code config}), else {@code other}.
   */
  public static final Meter STEP_DURATION =
      new Meter(
          "chatops.step.duration",
          "chatops_step_duration_seconds",
          Kind.HISTOGRAM,
          List.of("action", "step"),
          "How long each step of an execution took");

  /** Rollbacks started after a failed rollout or scale, by intent and result. */
  public static final Meter ROLLBACKS =
      new Meter(
          "chatops.rollbacks",
          "chatops_rollbacks_total",
          Kind.COUNTER,
          List.of("intent", "result"),
          "Rollbacks, by intent and result (restored, failed)");

  /**
   * Triggers and requests refused, by reason: {@code auth} (key missing, wrong, revoked, expired),
   * {@code source} (not in the allowlist or a section's sources), {@code label}, {@code scope},
   * {@code rate_limit}, {@code signature}, {@code parameters}, {@code other}.
   */
  public static final Meter TRIGGERS_DENIED =
      new Meter(
          "chatops.triggers.denied",
          "chatops_triggers_denied_total",
          Kind.COUNTER,
          List.of("reason"),
          "Triggers and requests refused, by reason");

  /** Executions waiting for approvals now (read from the store). */
  public static final Meter APPROVALS_PENDING =
      new Meter(
          "chatops.approvals.pending",
          "chatops_approvals_pending",
          Kind.GAUGE,
          List.of(),
          "Executions waiting for approvals");

  /** Executions running now in this process. */
  public static final Meter EXECUTIONS_RUNNING =
      new Meter(
          "chatops.executions.running",
          "chatops_executions_running",
          Kind.GAUGE,
          List.of(),
          "Executions running in this process");

  /** Triggers waiting for a stack's lock now, by stack. */
  public static final Meter STACK_QUEUE_DEPTH =
      new Meter(
          "chatops.stack.queue.depth",
          "chatops_stack_queue_depth",
          Kind.GAUGE,
          List.of("stack"),
          "Triggers waiting for a stack's lock");

  /** How long executions waited for a stack's lock, by stack. */
  public static final Meter STACK_LOCK_WAIT =
      new Meter(
          "chatops.stack.lock.wait",
          "chatops_stack_lock_wait_seconds",
          Kind.HISTOGRAM,
          List.of("stack"),
          "How long executions waited for a stack's lock");

  /** Notifications delivered, by channel name. */
  public static final Meter NOTIFY_DELIVERIES =
      new Meter(
          "chatops.notify.deliveries",
          "chatops_notify_deliveries_total",
          Kind.COUNTER,
          List.of("channel"),
          "Notifications delivered, by channel");

  /** Failed delivery attempts that will be retried, by channel name. */
  public static final Meter NOTIFY_RETRIES =
      new Meter(
          "chatops.notify.retries",
          "chatops_notify_retries_total",
          Kind.COUNTER,
          List.of("channel"),
          "Notification attempts that failed and will be retried, by channel");

  /** Notifications given up on (dead letters), by channel name. */
  public static final Meter NOTIFY_DEAD_LETTERS =
      new Meter(
          "chatops.notify.dead.letters",
          "chatops_notify_dead_letters_total",
          Kind.COUNTER,
          List.of("channel"),
          "Notifications given up on, by channel");

  /** How long one durable audit write (a group commit) took. */
  public static final Meter AUDIT_WRITE =
      new Meter(
          "chatops.audit.write",
          "chatops_audit_write_seconds",
          Kind.HISTOGRAM,
          List.of(),
          "How long one audit group commit took");

  /** How many writes one group commit of the audit store carried. */
  public static final Meter AUDIT_GROUP_COMMIT =
      new Meter(
          "chatops.audit.group.commit.size",
          "chatops_audit_group_commit_size",
          Kind.HISTOGRAM,
          List.of(),
          "Writes carried by one audit group commit");

  /** Dashboard sessions open now. */
  public static final Meter UI_SESSIONS =
      new Meter(
          "chatops.ui.sessions",
          "chatops_ui_sessions",
          Kind.GAUGE,
          List.of(),
          "Dashboard sessions open");

  /** Always 1, with the running version. */
  public static final Meter BUILD_INFO =
      new Meter(
          "chatops.build.info",
          "chatops_build_info",
          Kind.GAUGE,
          List.of("version"),
          "The running version (always 1)");

  /** Every meter of ChatOps's own (JVM and process meters come from Micrometer's binders). */
  public static final List<Meter> ALL =
      List.of(
          EXECUTIONS,
          EXECUTION_DURATION,
          STEP_DURATION,
          ROLLBACKS,
          TRIGGERS_DENIED,
          APPROVALS_PENDING,
          EXECUTIONS_RUNNING,
          STACK_QUEUE_DEPTH,
          STACK_LOCK_WAIT,
          NOTIFY_DELIVERIES,
          NOTIFY_RETRIES,
          NOTIFY_DEAD_LETTERS,
          AUDIT_WRITE,
          AUDIT_GROUP_COMMIT,
          UI_SESSIONS,
          BUILD_INFO);
}
