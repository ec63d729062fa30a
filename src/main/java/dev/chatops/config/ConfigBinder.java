package dev.chatops.config;

import dev.chatops.yaml.YamlMap;
import java.util.List;
import java.util.Optional;

/** Binds the merged tree's top level, section by section, collecting every problem. */
final class ConfigBinder {

  static final List<String> SECTIONS =
      List.of(
          "server",
          "intents",
          "stacks",
          "hosts",
          "docker",
          "execution",
          "security",
          "store",
          "notify",
          "github",
          "slack",
          "discord",
          "proxmox");

  private ConfigBinder() {}

  /**
   * The configuration the tree describes. When {@code binding} collects problems the result holds
   * defaults in place of bad values and must not be used.
   */
  static ChatOpsConfig bind(YamlMap root, Binding binding) {
    Fields top = Fields.of(binding, "", Optional.of(root), SECTIONS);
    return new ChatOpsConfig(
        CoreSections.server(binding, top.get("server")),
        CoreSections.intents(binding, top.get("intents")),
        CoreSections.stacks(binding, top.get("stacks")),
        CoreSections.hosts(binding, top.get("hosts")),
        CoreSections.docker(binding, top.get("docker")),
        CoreSections.execution(binding, top.get("execution")),
        SecuritySections.security(binding, top.get("security")),
        SecuritySections.store(binding, top.get("store")),
        NotifySection.notify(binding, top.get("notify")),
        IntegrationSections.github(binding, top.get("github")),
        IntegrationSections.slack(binding, top.get("slack")),
        IntegrationSections.discord(binding, top.get("discord")),
        IntegrationSections.proxmox(binding, top.get("proxmox")));
  }
}
