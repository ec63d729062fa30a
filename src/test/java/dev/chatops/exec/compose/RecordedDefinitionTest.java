package dev.chatops.exec.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chatops.exec.compose.RecordedDefinition.Resource;
import dev.chatops.exec.compose.RecordedDefinition.Resource.Kind;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The networks and volumes a recorded definition needs, as each Compose flavour writes it. */
class RecordedDefinitionTest {

  /** {@code docker-compose config} (v1.29) output. */
  static final String V1 =
      """
      networks:
        front:
          external: true
          name: corp-front
      services:
        a:
          image: app:1
          networks:
            front: null
          volumes:
          - data:/data:rw
          - shared:/shared:rw
          - /srv/conf:/conf:ro
          - ./cache:/cache:rw
        b:
          image: app:1
      version: '3.9'
      volumes:
        data: {}
        shared:
          external: true
          name: shared
      """;

  /** {@code docker compose config} (v2) output of the same file. */
  static final String V2 =
      """
      name: shop
      services:
        a:
          image: app:1
          networks:
            front: null
          volumes:
            - type: volume
              source: data
              target: /data
            - type: volume
              source: shared
              target: /shared
            - type: bind
              source: /srv/conf
              target: /conf
        b:
          image: app:1
          networks:
            default: null
      networks:
        default:
          name: shop_default
        front:
          name: corp-front
          external: true
      volumes:
        data:
          name: shop_data
        shared:
          name: shared
          external: true
      """;

  @ParameterizedTest
  @ValueSource(strings = {V1, V2})
  void theAttachedNetworksAndVolumesAreNamedAsTheEngineKnowsThem(String yaml) {
    RecordedDefinition definition = RecordedDefinition.parse(yaml, "shop");

    assertThat(definition.services()).containsExactly("a", "b");
    assertThat(definition.resources(Set.of("a")))
        .containsExactly(
            new Resource(Kind.NETWORK, "front", "corp-front", true),
            new Resource(Kind.VOLUME, "data", "shop_data", false),
            new Resource(Kind.VOLUME, "shared", "shared", true));
  }

  @Test
  void aServiceOnTheDefaultNetworkOnlyNeedsNothingChecked() {
    assertThat(RecordedDefinition.parse(V1, "shop").resources(Set.of("b"))).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "services: 3\n", "[a, b]\n", "services: {a: [\n"})
  void aDefinitionWithoutServicesIsRefusedClearly(String yaml) {
    assertThatThrownBy(() -> RecordedDefinition.parse(yaml, "shop"))
        .isInstanceOf(EngineException.class)
        .hasMessageStartingWith("the recorded definition");
  }
}
