package dev.chatops.intent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chatops.intent.Action.OnFailure;
import dev.chatops.intent.Param.IntegerParam;
import dev.chatops.intent.Param.StringParam;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IntentLoaderTest {

  @TempDir Path tmp;
  IntentFixture fixture;

  @BeforeEach
  void setUp() throws IOException {
    fixture = new IntentFixture(tmp);
  }

  @Test
  void bindsEveryActionIntoTypedRecords() throws IOException {
    fixture.write(
        "all.yaml",
        """
        name: scale-ai
        action: scale
        stack: stack-ai
        service: ollama
        replicas: "{{ replicas }}"
        params:
          replicas: {type: integer, minimum: 0, maximum: 4, default: 2}
        require: {labels: [deploy-approved], approvals: 1}
        ---
        name: roll-media
        action: rollout
        host: whitebox
        stack: stack-media
        compose_file: %s/stack-media/compose.yaml
        services: [plex]
        rollout: {pull: false, timeout: 1h30m, backup_first: backup-105}
        ---
        name: restart-content
        action: restart
        stack: stack-content
        ---
        name: backup-105
        action: backup
        backup: {node: whitebox, vmid: 105, storage: nas, mode: stop}
        ---
        name: all
        action: batch
        steps: [roll-media, restart-content]
        parallel: true
        on_failure: continue
        """
            .formatted(fixture.stacks));

    IntentLoader.Result result = fixture.load();

    assertThat(result.problems()).isEmpty();
    assertThat(result.catalog().size()).isEqualTo(5);
    Intent scale = result.catalog().find("scale-ai").orElseThrow();
    assertThat(scale.action())
        .isEqualTo(
            new Action.Scale(
                new Action.Stack("stack-ai", Optional.empty()),
                Value.of("ollama"),
                new Value.Ref<>("replicas")));
    assertThat(scale.params().get("replicas"))
        .isEqualTo(new IntegerParam("replicas", Optional.empty(), 0, 4, Optional.of(2L)));
    assertThat(scale.require()).isEqualTo(new Intent.Requirements(List.of("deploy-approved"), 1));
    assertThat(scale.host()).isEqualTo("local");

    Action.Rollout rollout =
        (Action.Rollout) result.catalog().find("roll-media").orElseThrow().action();
    assertThat(rollout.stack().composeFile())
        .contains(fixture.stacks.resolve("stack-media/compose.yaml"));
    assertThat(rollout.options())
        .isEqualTo(
            new Action.RolloutOptions(
                Value.of(false), true, Duration.ofMinutes(90), true, Optional.of("backup-105")));
    assertThat(result.catalog().find("restart-content").orElseThrow().action())
        .isEqualTo(
            new Action.Restart(
                new Action.Stack("stack-content", Optional.empty()), Optional.empty()));
    assertThat(result.catalog().find("backup-105").orElseThrow().action())
        .isEqualTo(new Action.Backup("whitebox", 105, "nas", Action.BackupMode.STOP));
    assertThat(result.catalog().find("all").orElseThrow().action())
        .isEqualTo(
            new Action.Batch(List.of("roll-media", "restart-content"), true, OnFailure.CONTINUE));
  }

  @Test
  void stringParametersKeepTheirBounds() throws IOException {
    fixture.write(
        "restart.yaml",
        """
        name: restart-one
        action: restart
        stack: s
        service: "{{ service }}"
        params:
          service: {type: string, enum: [web, db], default: web}
        """);

    StringParam param =
        (StringParam)
            fixture.load().catalog().find("restart-one").orElseThrow().params().get("service");

    assertThat(param.allowed()).containsExactly("web", "db");
    assertThat(param.defaultValue()).contains("web");
    assertThat(param.maxLength()).isEqualTo(StringParam.DEFAULT_MAX_LENGTH);
  }

  @Test
  void reportsEveryProblemOfEveryFileNotJustTheFirst() throws IOException {
    fixture.write("a.yaml", "name: a\naction: scale\nstack: s\n");
    fixture.write("b.yaml", "name: b\naction: restart\nstack: s\nfoo: 1\nbar: 2\n");

    assertThat(fixture.problems())
        .containsExactly(
            "intents/a.yaml:2:9: error: replicas: is required for action scale",
            "intents/a.yaml:2:9: error: service: is required for action scale",
            "intents/b.yaml:4:1: error: foo: unknown field",
            "intents/b.yaml:5:1: error: bar: unknown field");
  }

  @Test
  void findsIntentFilesInSubfoldersButSkipsHiddenOnesAndOtherExtensions() throws IOException {
    fixture.write("team/a.yml", "name: a\naction: restart\nstack: s\n");
    fixture.write(".git/b.yaml", "broken: [");
    fixture.write("README.md", "# not an intent");

    IntentLoader.Result result = fixture.load();

    assertThat(result.problems()).isEmpty();
    assertThat(result.files()).isEqualTo(1);
    assertThat(result.catalog().find("a")).isPresent();
  }

  @Test
  void aMissingInputIsAnIoErrorNotAProblem() {
    var loader = new IntentLoader(IntentFixture.SCHEMA, fixture.rules());

    Assertions.assertThatThrownBy(
            () -> loader.load(List.of(fixture.dir.resolve("nowhere")), fixture.dir))
        .isInstanceOf(NoSuchFileException.class);
  }

  @Test
  void aTenMegabyteFileIsRefusedWithoutParsing() throws IOException {
    Path big = fixture.intents.resolve("big.yaml");
    Files.writeString(big, "name: a\n" + "# padding\n".repeat(1_100_000));

    assertThat(fixture.problems())
        .containsExactly(
            "intents/big.yaml:1:1: error: file is larger than the limit of 1 MiB; refusing to read it");
  }

  @Test
  void aFileWithInvalidUtf8IsRefusedWithThePositionOfTheBadByte() throws IOException {
    Files.write(
        fixture.intents.resolve("latin1.yaml"),
        new byte[] {'n', 'a', 'm', 'e', ':', ' ', 'c', 'a', 'f', (byte) 0xE9, '\n'});

    assertThat(fixture.problems())
        .containsExactly(
            "intents/latin1.yaml:1:10: error: invalid UTF-8 (byte 0xe9 at offset 9); intents must be"
                + " UTF-8 text");
  }
}
