package dev.chatops.cli;

/** How {@code plan} and {@code run} print their report. */
enum ReportFormat {
  /** For people: the plan, each step and what changed. */
  text,
  /** The report as one JSON document, for scripts. */
  json
}
