package dev.chatops.intent;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** The schema editors use is the one the validator uses, and it is a valid 2020-12 schema. */
class SchemaFileTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void theValidatorUsesThePublishedSchemaFile() throws IOException {
    JsonNode published = JSON.readTree(Files.readString(Path.of("schema/intent.schema.json")));
    JsonNode onClassPath;
    try (InputStream in = IntentSchema.class.getResourceAsStream(IntentSchema.RESOURCE)) {
      onClassPath = JSON.readTree(in);
    }

    assertThat(onClassPath).isEqualTo(published);
  }

  @Test
  void theSchemaConformsToTheDraft202012MetaSchema() throws IOException {
    SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    Schema meta =
        registry.getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));
    JsonNode published = JSON.readTree(Files.readString(Path.of("schema/intent.schema.json")));

    assertThat(published.path("$schema").asString())
        .isEqualTo("https://json-schema.org/draft/2020-12/schema");
    assertThat(meta.validate(published)).isEmpty();
  }
}
