package dev.chatops.cli;

import dev.chatops.config.ChatOpsConfig;
import dev.chatops.config.GithubSection;
import dev.chatops.intent.Intent;
import dev.chatops.intent.IntentCatalog;
import dev.chatops.intent.ParamBinder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the configuration says about intents, checked against the loaded ones before the service
 * starts: a GitHub rule that names an intent that does not exist, or gives parameters it does not
 * take, would only fail once a pull request merges, long after the operator has left.
 */
final class IntegrationCheck {

  private IntegrationCheck() {}

  /** Each problem as one line naming the configuration key; empty when all is well. */
  static List<String> problems(ChatOpsConfig config, IntentCatalog catalog) {
    List<String> problems = new ArrayList<>();
    config.github().ifPresent(github -> rules(github, catalog, problems));
    return problems;
  }

  private static void rules(GithubSection github, IntentCatalog catalog, List<String> problems) {
    for (int i = 0; i < github.rules().size(); i++) {
      GithubSection.Rule rule = github.rules().get(i);
      for (int j = 0; j < rule.intents().size(); j++) {
        String name = rule.intents().get(j);
        Optional<Intent> intent = catalog.find(name);
        if (intent.isEmpty()) {
          problems.add(
              "github.rules[" + i + "].intents[" + j + "]: no intent named '" + name + "'");
        } else if (ParamBinder.bind(intent.get(), rule.params())
            instanceof ParamBinder.Invalid invalid) {
          problems.add(
              "github.rules["
                  + i
                  + "].params do not fit intent "
                  + name
                  + ": "
                  + String.join("; ", invalid.errors().stream().map(Object::toString).toList()));
        }
      }
    }
  }
}
