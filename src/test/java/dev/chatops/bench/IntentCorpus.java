package dev.chatops.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes a folder of realistic, valid intent files for benchmarks. */
public final class IntentCorpus {

  private IntentCorpus() {}

  /**
   * Writes {@code count} intent files under {@code dir}/intents, with stack folders under {@code
   * dir}/stacks, and a configuration at {@code dir}/chatops.yaml.
   */
  public static void write(Path dir, int count) throws IOException {
    Path intents = Files.createDirectories(dir.resolve("intents"));
    Path stacks = Files.createDirectories(dir.resolve("stacks"));
    Files.writeString(
        dir.resolve("chatops.yaml"), "intents: {dir: ./intents}\nstacks: {roots: [./stacks]}\n");
    for (int i = 0; i < count; i++) {
      String text =
          switch (i % 4) {
            case 0 ->
                """
                # yaml-language-server: $schema=../schema/intent.schema.json
                name: scale-%1$d
                description: Scale the workers of stack %1$d
                action: scale
                stack: stack-%1$d
                service: worker
                replicas: "{{ replicas }}"
                params:
                  replicas: {type: integer, minimum: 0, maximum: 8, default: 2}
                require:
                  labels: [deploy-approved]
                notes: |
                  Check the queue length afterwards.
                """;
            case 1 ->
                """
                name: rollout-%1$d
                description: Roll out stack %1$d, health-gated
                action: rollout
                stack: stack-%1$d
                compose_file: %2$s/stack-%1$d/compose.yaml
                services: [web, api]
                require: {labels: [deploy-approved], approvals: 1}
                rollout: {pull: true, wait_healthy: true, timeout: 300s, rollback_on_failure: true}
                """;
            case 2 ->
                """
                name: restart-%1$d
                action: restart
                stack: stack-%1$d
                service: "{{ service }}"
                params:
                  service: {type: string, enum: [web, api, worker], default: web}
                ---
                name: backup-%1$d
                action: backup
                backup: {node: whitebox, vmid: %3$d, storage: nas-backups, mode: snapshot}
                """;
            default ->
                """
                name: batch-%1$d
                action: batch
                steps: [scale-%4$d, rollout-%5$d]
                parallel: true
                on_failure: stop
                """;
          };
      Files.writeString(
          intents.resolve(String.format("intent-%04d.yaml", i)),
          text.formatted(i, stacks, 100 + i, i - 3, i - 2));
    }
  }
}
