package dev.chatops.config;

import java.util.Optional;

/**
 * Builds the {@code slack} section: the signing secret from its file, the users by Slack id (their
 * shape is the schema's), and the networks requests may come from.
 */
final class SlackReader {

  private SlackReader() {}

  static Optional<SlackSection> read(ConfigReader in) {
    return SectionParts.of(in, "slack").flatMap(SlackReader::read);
  }

  private static Optional<SlackSection> read(SectionParts parts) {
    Optional<Secret> secret = parts.secretFile("signing_secret_file", "signing_secret_file");
    var users = ChatUsers.read(parts, id -> true, "is not a Slack user id");
    var sources = parts.sources();
    return parts.build(() -> new SlackSection(secret.orElseThrow(), users, sources));
  }
}
