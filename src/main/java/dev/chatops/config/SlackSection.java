package dev.chatops.config;

import dev.chatops.policy.Cidr;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code slack} section: a Slack app's slash command ({@code /deploy}) and interactive buttons.
 * Its {@code toString()} shows no secret.
 *
 * @param signingSecret the app's signing secret ({@code signing_secret_file})
 * @param users who may do what, by Slack user id; an unlisted user may do nothing
 * @param sources networks requests may come from; empty: any (the signature is the gate). The
 *     global {@code security.ip_allowlist} does not apply to {@code /chat/slack/}
 */
public record SlackSection(Secret signingSecret, Map<String, ChatUser> users, List<Cidr> sources) {

  public SlackSection {
    Objects.requireNonNull(signingSecret, "signingSecret");
    users = Collections.unmodifiableMap(new LinkedHashMap<>(users));
    sources = List.copyOf(sources);
  }

  @Override
  public String toString() {
    return "SlackSection[users=" + users.size() + "]";
  }
}
