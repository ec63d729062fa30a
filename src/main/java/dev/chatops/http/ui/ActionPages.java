package dev.chatops.http.ui;

import dev.chatops.http.ApiServer;
import io.javalin.config.JavalinConfig;

/** The dashboard's pages that act or read beyond executions: intents, stacks, approvals, audit. */
final class ActionPages {

  private ActionPages() {}

  static void register(JavalinConfig config, ApiServer.Dependencies deps, DashboardParts parts) {
    IntentPages.register(config, deps, parts);
    StackPages.register(config, deps, parts);
    ApprovalPages.register(config, deps, parts);
    AuditPages.register(config, deps, parts);
  }
}
