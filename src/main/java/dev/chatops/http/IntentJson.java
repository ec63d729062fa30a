package dev.chatops.http;

import dev.chatops.intent.EffectiveRequirements;
import dev.chatops.intent.Intent;
import dev.chatops.intent.IntentCatalog;
import dev.chatops.intent.Param;
import tools.jackson.databind.node.ObjectNode;

/** Intents as the API shows them: what a caller needs to trigger one. */
final class IntentJson {

  private IntentJson() {}

  /**
   * The name, action and what a trigger must carry: for a batch, the labels of every step it
   * reaches and the largest approval count among them ({@link EffectiveRequirements}).
   */
  static ObjectNode summary(Intent intent, IntentCatalog catalog) {
    EffectiveRequirements required = EffectiveRequirements.of(intent, catalog);
    ObjectNode node = ExecutionJson.JSON.createObjectNode();
    node.put("name", intent.name());
    node.put("action", intent.action().keyword());
    intent.description().ifPresent(text -> node.put("description", text));
    node.set("require_labels", ExecutionJson.JSON.valueToTree(required.labelNames()));
    node.put("require_approvals", required.approvals());
    node.put("self", "/api/v1/intents/" + intent.name());
    return node;
  }

  /**
   * The summary, the parameters, and the intent's own {@code require} as its file declares it
   * ({@code declared_require}; for a batch, its steps' requirements add to it).
   */
  static ObjectNode detail(Intent intent, IntentCatalog catalog) {
    ObjectNode node = summary(intent, catalog);
    ObjectNode declared = node.putObject("declared_require");
    declared.set("labels", ExecutionJson.JSON.valueToTree(intent.require().labels()));
    declared.put("approvals", intent.require().approvals());
    node.put("host", intent.host());
    ObjectNode params = node.putObject("params");
    for (Param param : intent.params().values()) {
      ObjectNode spec = params.putObject(param.name());
      spec.put("type", param.typeName());
      spec.put("required", param.required());
      param.description().ifPresent(text -> spec.put("description", text));
      switch (param) {
        case Param.IntegerParam integer -> {
          spec.put("minimum", integer.minimum());
          spec.put("maximum", integer.maximum());
          integer.defaultValue().ifPresent(value -> spec.put("default", value));
        }
        case Param.StringParam string -> {
          string.pattern().ifPresent(pattern -> spec.put("pattern", pattern.pattern()));
          if (!string.allowed().isEmpty()) {
            spec.set("enum", ExecutionJson.JSON.valueToTree(string.allowed()));
          }
          spec.put("max_length", string.maxLength());
          string.defaultValue().ifPresent(value -> spec.put("default", value));
        }
        case Param.BooleanParam bool ->
            bool.defaultValue().ifPresent(value -> spec.put("default", value));
      }
    }
    intent.notes().ifPresent(text -> node.put("notes", text));
    return node;
  }
}
