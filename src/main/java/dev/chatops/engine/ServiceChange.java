package dev.chatops.engine;

import java.util.List;

/**
 * What an execution did (or, in a dry run, would do) to one service: its image and container count
 * before and after. Image ids are content digests ({@code sha256:...}); repository digests are
 * listed when the image came from a registry.
 */
public record ServiceChange(
    String service,
    String imageBefore,
    String imageAfter,
    List<String> repoDigestsBefore,
    List<String> repoDigestsAfter,
    long replicasBefore,
    long replicasAfter,
    String note) {

  public ServiceChange {
    repoDigestsBefore = List.copyOf(repoDigestsBefore);
    repoDigestsAfter = List.copyOf(repoDigestsAfter);
  }

  public boolean imageChanged() {
    return !imageBefore.equals(imageAfter);
  }
}
