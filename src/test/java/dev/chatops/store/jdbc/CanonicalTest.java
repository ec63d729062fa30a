package dev.chatops.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chatops.store.AuditEntry;
import dev.chatops.store.AuditKind;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CanonicalTest {

  private static String canonical(String json) {
    return Canonical.write(Canonical.object(json, "test"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "{}                                    | {}",
        "{ \"b\" : 1 , \"a\" : 2 }              | {\"a\":2,\"b\":1}",
        "{\"z\":{\"y\":[3,{\"d\":1,\"c\":2}]}}  | {\"z\":{\"y\":[3,{\"c\":2,\"d\":1}]}}",
        "{\"n\":1.50,\"e\":1e3,\"i\":-0}        | {\"e\":1E+3,\"i\":0,\"n\":1.50}",
        "{\"big\":123456789012345678901234567890} | {\"big\":123456789012345678901234567890}",
        "{\"s\":\"tab\\tquote\\\" é \\u0001\"}   | {\"s\":\"tab\\tquote\\\" é \\u0001\"}",
        "{\"B\":1,\"a\":2,\"_\":3}                | {\"B\":1,\"_\":3,\"a\":2}",
      })
  void sortsKeysDropsWhitespaceAndIsStableWhenAppliedAgain(String json, String expected) {
    assertThat(canonical(json)).isEqualTo(expected);
    assertThat(canonical(canonical(json))).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {"[]", "1", "null", "{\"a\":1,\"a\":1}", "{\"a\":1} x", "{\"a\":NaN}", "{"})
  void refusesAnythingButOneJsonObjectWithoutDuplicateKeys(String json) {
    assertThatThrownBy(() -> canonical(json)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void everyKindIsStoredAsADistinctDottedWord() {
    // The kind is a closed set now; what the check on free text guarded is that every stored kind
    // is a dotted word, and that no two kinds share one (a record would change meaning).
    assertThat(Arrays.stream(AuditKind.values()).map(AuditKind::key))
        .allMatch(key -> key.matches("[a-z][a-z_]*(\\.[a-z][a-z_]*)+"))
        .doesNotHaveDuplicates();
    assertThat(AuditKind.ofKey("trigger.accepted")).contains(AuditKind.TRIGGER_ACCEPTED);
    assertThat(AuditKind.ofKey("Trigger Accepted")).isEmpty();
  }

  @Test
  void keepsTheStoredDetailCanonicalAndTheTimeToTheMicrosecond() {
    AuditEntry entry =
        new AuditEntry(
            Instant.parse("2026-01-01T00:00:00.123456789Z"),
            AuditKind.KEY_CREATED,
            "cli:root",
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            "{ \"b\":1, \"a\":2 }");

    AuditEntry checked = Canonical.check(entry).entry();

    assertThat(checked.detail()).isEqualTo("{\"a\":2,\"b\":1}");
    assertThat(checked.at()).isEqualTo(Instant.parse("2026-01-01T00:00:00.123456Z"));
  }

  @Test
  void aHashChangesWithEveryFieldItCovers() {
    AuditEntry base =
        new AuditEntry(
            Instant.EPOCH,
            AuditKind.TRIGGER_ACCEPTED,
            "ci",
            Optional.of("a"),
            Optional.of("i"),
            Optional.of("e"),
            "{}");
    String hash = Canonical.rehash("0".repeat(64), 1, base);

    assertThat(Canonical.rehash("1".repeat(64), 1, base)).isNotEqualTo(hash);
    assertThat(Canonical.rehash("0".repeat(64), 2, base)).isNotEqualTo(hash);
    for (AuditEntry changed :
        new AuditEntry[] {
          new AuditEntry(
              Instant.EPOCH.plusNanos(1000),
              AuditKind.TRIGGER_ACCEPTED,
              "ci",
              Optional.of("a"),
              Optional.of("i"),
              Optional.of("e"),
              "{}"),
          new AuditEntry(
              Instant.EPOCH,
              AuditKind.TRIGGER_DENIED,
              "ci",
              Optional.of("a"),
              Optional.of("i"),
              Optional.of("e"),
              "{}"),
          new AuditEntry(
              Instant.EPOCH,
              AuditKind.TRIGGER_ACCEPTED,
              "cx",
              Optional.of("a"),
              Optional.of("i"),
              Optional.of("e"),
              "{}"),
          new AuditEntry(
              Instant.EPOCH,
              AuditKind.TRIGGER_ACCEPTED,
              "ci",
              Optional.empty(),
              Optional.of("i"),
              Optional.of("e"),
              "{}"),
          new AuditEntry(
              Instant.EPOCH,
              AuditKind.TRIGGER_ACCEPTED,
              "ci",
              Optional.of("a"),
              Optional.empty(),
              Optional.of("e"),
              "{}"),
          new AuditEntry(
              Instant.EPOCH,
              AuditKind.TRIGGER_ACCEPTED,
              "ci",
              Optional.of("a"),
              Optional.of("i"),
              Optional.empty(),
              "{}"),
          new AuditEntry(
              Instant.EPOCH,
              AuditKind.TRIGGER_ACCEPTED,
              "ci",
              Optional.of("a"),
              Optional.of("i"),
              Optional.of("e"),
              "{\"x\":1}"),
        }) {
      assertThat(Canonical.rehash("0".repeat(64), 1, changed)).isNotEqualTo(hash);
    }
  }
}
