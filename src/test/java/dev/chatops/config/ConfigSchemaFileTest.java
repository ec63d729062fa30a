package dev.chatops.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * {@code schema/config.schema.json} on its own, read by a standard validator that shares nothing
 * with the loader: it is a valid 2020-12 schema, it accepts the example configuration and refuses a
 * misspelt key, and it is the one description the loader derives its variables and defaults from.
 */
class ConfigSchemaFileTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path PUBLISHED = Path.of("schema/config.schema.json");
  private static final Path EXAMPLE = Path.of("examples/chatops.yaml");

  private static JsonNode published() throws IOException {
    return JSON.readTree(Files.readString(PUBLISHED));
  }

  private static List<Error> standardValidation(String yaml) throws IOException {
    SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    Schema schema = registry.getSchema(SchemaLocation.of("urn:test:config"), published());
    return schema.validate(new YAMLMapper().readTree(yaml));
  }

  @Test
  void theSchemaConformsToTheDraft202012MetaSchema() throws IOException {
    SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    Schema meta =
        registry.getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));

    assertThat(published().path("$schema").asString())
        .isEqualTo("https://json-schema.org/draft/2020-12/schema");
    assertThat(meta.validate(published())).isEmpty();
  }

  @Test
  void theLoaderUsesThePublishedSchemaFile() throws IOException {
    JsonNode onClassPath;
    try (InputStream in = ConfigSchema.class.getResourceAsStream(ConfigSchema.RESOURCE)) {
      onClassPath = JSON.readTree(in);
    }

    assertThat(onClassPath).isEqualTo(published());
  }

  @Test
  void aStandardValidatorAcceptsTheExampleConfiguration() throws IOException {
    assertThat(standardValidation(Files.readString(EXAMPLE))).isEmpty();
  }

  @Test
  void aStandardValidatorRefusesAMisspeltKeyInTheExample() throws IOException {
    String example = Files.readString(EXAMPLE);
    String misspelt = example.replace("compose:", "compse:");

    assertThat(misspelt).isNotEqualTo(example);
    assertThat(standardValidation(misspelt))
        .singleElement()
        .satisfies(
            error -> {
              assertThat(error.getKeyword()).isEqualTo("additionalProperties");
              assertThat(error.getProperty()).isEqualTo("compse");
            });
  }

  @Test
  void aStandardValidatorRefusesSectionsNotAvailableYet() throws IOException {
    assertThat(standardValidation("proxmox: {url: \"https://pve:8006\"}\n")).isNotEmpty();
  }

  @Test
  void aStandardValidatorChecksTheSectionsOfSignedRequests() throws IOException {
    String sections =
        """
        github:
          webhook_secret_file: /run/gh
          rules: [{repo: o/r, branch: main, labels: [ok], intents: [deploy], params: {v: 1}}]
          statuses: {token_file: /run/token}
        slack: {signing_secret_file: /run/slack, users: {U0123ABCD: {intents: ["*"]}}}
        discord: {public_key: "ab", users: {"80351110224678912": {approve: ["*"]}}}
        """;

    assertThat(standardValidation(sections)).isEmpty();
    assertThat(standardValidation(sections.replace("intents: [deploy]", "intents: []")))
        .singleElement()
        .satisfies(error -> assertThat(error.getKeyword()).isEqualTo("minItems"));
    assertThat(standardValidation(sections.replace("U0123ABCD", "alice")))
        .isNotEmpty()
        .allSatisfy(error -> assertThat(error.getKeyword()).isEqualTo("propertyNames"));
    assertThat(standardValidation(sections.replace("webhook_secret_file", "webhook_secret")))
        .isNotEmpty();
  }

  @Test
  void everyKeyOfTheSchemaHasAVariableAndEveryVariableAKey() throws IOException {
    List<String> keys = new ArrayList<>();
    leaves(published(), "", keys);
    List<String> variables = new ArrayList<>();
    List<String> variablePaths = new ArrayList<>();
    for (EnvironmentVariables.Variable variable : ConfigSchema.shipped().variables().all()) {
      variables.add(variable.name());
      List<String> path = new ArrayList<>(variable.path());
      if (variable.secret()) {
        path.set(path.size() - 1, path.getLast() + "_file");
      }
      variablePaths.add(String.join(".", path));
    }

    assertThat(dedupe(variablePaths)).containsExactlyInAnyOrderElementsOf(keys);
    for (String key : keys) {
      String name =
          "CHATOPS_" + key.replace("<NAME>", "NAS_BOX").replace('.', '_').toUpperCase(Locale.ROOT);
      assertThat(ConfigSchema.shipped().variables().resolve(name))
          .as(name)
          .hasValueSatisfying(
              setting ->
                  assertThat(String.join(".", setting.path()))
                      .isEqualTo(key.replace("<NAME>", "nas-box")));
    }
    assertThat(variables)
        .contains(
            "CHATOPS_SERVER_PORT",
            "CHATOPS_SECURITY_RATE_LIMIT_PER_KEY",
            "CHATOPS_HOSTS_<NAME>_DOCKER",
            "CHATOPS_STORE_PASSWORD",
            "CHATOPS_STORE_PASSWORD_FILE");
  }

  @Test
  void aStandardValidatorChecksNotificationChannels() throws IOException {
    assertThat(standardValidation("notify: [{url: \"discord://1/t\", events: [dry_run]}]\n"))
        .isEmpty();
    assertThat(standardValidation("notify: [{url: \"discord://1/t\", colour: red}]\n"))
        .singleElement()
        .satisfies(error -> assertThat(error.getProperty()).isEqualTo("colour"));
    assertThat(standardValidation("notify: [{url: \"discord://1/t\", events: [tset]}]\n"))
        .isNotEmpty();
  }

  @Test
  void everyKeyHasADefaultButTheSecretFilesThePublicUrlTheTlsFilesAndTheAddressesOfNamedHosts()
      throws IOException {
    List<String> keys = new ArrayList<>();
    leaves(published(), "", keys);
    ConfigSchema schema = ConfigSchema.shipped();
    long withDefaults =
        keys.stream()
            .filter(key -> schema.defaultAt(List.of(key.split("\\."))).isPresent())
            .count();

    // The defaults themselves are loaded (and so checked) by ConfigDefaultsTest.
    assertThat(withDefaults).isEqualTo(keys.size() - 6);
    assertThat(schema.defaultAt(List.of("metrics", "token_file"))).isEmpty();
    assertThat(schema.defaultAt(List.of("server", "tls", "cert_file"))).isEmpty();
    assertThat(schema.defaultAt(List.of("server", "tls", "key_file"))).isEmpty();
    assertThat(schema.defaultAt(List.of("hosts"))).isPresent();
  }

  /**
   * Dotted paths of the schema's leaf keys, {@code <NAME>} for an entry of a named map; keys only
   * the file may set ({@code notify}) have no variable and are left out.
   */
  private static void leaves(JsonNode schema, String prefix, List<String> out) {
    for (var property : schema.path("properties").properties()) {
      String key = prefix + property.getKey();
      JsonNode value = property.getValue();
      if (value.has("not") || value.has(ConfigSchema.FILE_ONLY)) {
        continue;
      }
      if (value.path("properties").isObject()) {
        leaves(value, key + ".", out);
      } else if (value.path("additionalProperties").isObject()) {
        leaves(value.path("additionalProperties"), key + ".<NAME>.", out);
      } else {
        out.add(key);
      }
    }
  }

  private static List<String> dedupe(List<String> values) {
    return values.stream().distinct().toList();
  }
}
