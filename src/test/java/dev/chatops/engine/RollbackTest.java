package dev.chatops.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RollbackTest {

  @TempDir Path tmp;

  @Test
  void namesTheRecordedImageWithAValidReferenceForAnyServiceName() {
    assertThat(
            Rollback.tagFor(
                "stack-media",
                "Plex.Server_1",
                "sha256:da6acff26f253a521300466abdf920b0352f31512c807960bd9986fbe1cb0d29"))
        .isEqualTo("chatops-rollback/stack-media-plex.server_1:da6acff26f25");
  }

  @Test
  void writesTheOverrideInAFolderOnlyThisUserCanEnterAndRemovesBoth() throws IOException {
    Path override = Rollback.writeOverride(tmp, Map.of("plex", "chatops-rollback/m-plex:abc"));

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(override.getParent())))
        .isEqualTo("rwx------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(override)))
        .isEqualTo("rw-------");
    assertThat(Files.readString(override))
        .contains("services:\n  \"plex\":\n    image: \"chatops-rollback/m-plex:abc\"\n");

    Rollback.delete(override);

    assertThat(override.getParent()).doesNotExist();
  }
}
