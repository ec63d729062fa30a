package dev.chatops.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chatops.store.AuditTrail.Denial;
import dev.chatops.store.AuditTrail.Head;
import dev.chatops.store.AuditTrail.Verification;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The contract of {@link AuditTrail}, run against every store implementation. */
public abstract class AuditTrailContract extends StoreContract {

  private List<AuditRecord> appendSome(int count) {
    List<AuditRecord> appended = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      appended.add(store.audit().append(entry("trigger.accepted", "{\"n\":" + i + "}")));
    }
    return appended;
  }

  static String sha256(String text) throws Exception {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void numbersRecordsFromOneAndChainsEachToThePreviousHash() {
    List<AuditRecord> records = appendSome(3);

    assertThat(records).extracting(AuditRecord::seq).containsExactly(1L, 2L, 3L);
    assertThat(records.get(0).previousHash()).isEqualTo(AuditTrail.GENESIS);
    assertThat(records.get(1).previousHash()).isEqualTo(records.get(0).hash());
    assertThat(records.get(2).previousHash()).isEqualTo(records.get(1).hash());
    assertThat(records(store)).isEqualTo(records);
    assertThat(store.audit().verify()).isEqualTo(new Verification(true, 3, 0, ""));
  }

  @Test
  void hashesThePreviousHashAndTheCanonicalJsonOfTheRecord() throws Exception {
    AuditEntry entry =
        new AuditEntry(
            Instant.parse("2026-01-02T03:04:05.123456789Z"),
            AuditKind.TRIGGER_ACCEPTED,
            "ci",
            Optional.of("100.64.0.7"),
            Optional.of("scale-stack-ai"),
            Optional.of("ex-1"),
            "{ \"b\": 1,\n \"a\": [true, null, \"x\\u00e9\"], \"c\": {\"z\": 1.50, \"y\": -3} }");

    AuditRecord record = store.audit().append(entry);

    String canonical =
        "{\"actor\":\"ci\",\"at\":\"2026-01-02T03:04:05.123456Z\","
            + "\"detail\":{\"a\":[true,null,\"xé\"],\"b\":1,\"c\":{\"y\":-3,\"z\":1.50}},"
            + "\"execution_id\":\"ex-1\",\"intent\":\"scale-stack-ai\",\"kind\":\"trigger.accepted\","
            + "\"seq\":1,\"source\":\"100.64.0.7\"}";
    assertThat(record.hash()).isEqualTo(sha256(AuditTrail.GENESIS + "\n" + canonical));
    assertThat(record.entry().detail())
        .isEqualTo("{\"a\":[true,null,\"xé\"],\"b\":1,\"c\":{\"y\":-3,\"z\":1.50}}");
    assertThat(record.entry().at()).isEqualTo(Instant.parse("2026-01-02T03:04:05.123456Z"));
  }

  @Test
  void writesAbsentFieldsAsNullInTheHashedRecord() throws Exception {
    AuditRecord record =
        store
            .audit()
            .append(
                new AuditEntry(
                    Instant.parse("2026-01-02T03:04:05Z"),
                    AuditKind.SERVICE_STARTED,
                    "system",
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    "{}"));

    String canonical =
        "{\"actor\":\"system\",\"at\":\"2026-01-02T03:04:05Z\",\"detail\":{},"
            + "\"execution_id\":null,\"intent\":null,\"kind\":\"service.started\",\"seq\":1,"
            + "\"source\":null}";
    assertThat(record.hash()).isEqualTo(sha256(AuditTrail.GENESIS + "\n" + canonical));
  }

  @Test
  void anEmptyTrailIsIntact() {
    assertThat(store.audit().verify()).isEqualTo(new Verification(true, 0, 0, ""));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "[1, 2]",
        "\"text\"",
        "{\"a\":1,\"a\":2}",
        "{not json",
        "{} {}",
      })
  void rejectsADetailThatIsNotOneJsonObjectAndWritesNothing(String detail) {
    assertThatThrownBy(() -> store.audit().append(entry("trigger.accepted", detail)))
        .isInstanceOf(IllegalArgumentException.class);

    assertThat(records(store)).isEmpty();
  }

  @Test
  void streamsRecordsFromTheGivenNumberOnInOrder() {
    List<AuditRecord> appended = appendSome(5);
    List<AuditRecord> streamed = new ArrayList<>();

    store.audit().forEach(3, streamed::add);

    assertThat(streamed).isEqualTo(appended.subList(2, 5));
  }

  @Test
  void anotherInstanceSeesEveryRecordAndTheChainContinuesAfterReopening() {
    List<AuditRecord> before = appendSome(2);

    reopen();
    AuditRecord third = store.audit().append(entry("service.started", "{}"));

    assertThat(third.seq()).isEqualTo(3);
    assertThat(third.previousHash()).isEqualTo(before.get(1).hash());
    assertThat(records(open())).hasSize(3).startsWith(before.get(0), before.get(1));
    assertThat(store.audit().verify().intact()).isTrue();
  }

  @Test
  void concurrentAppendsFromFiftyThreadsKeepTheChainIntactAndGapless() throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(50);
    try {
      List<Future<List<AuditRecord>>> results = new ArrayList<>();
      for (int t = 0; t < 50; t++) {
        int thread = t;
        results.add(
            threads.submit(
                () ->
                    IntStream.range(0, 40)
                        .mapToObj(
                            i ->
                                store
                                    .audit()
                                    .append(
                                        entry(
                                            "trigger.accepted",
                                            "{\"thread\":" + thread + ",\"i\":" + i + "}")))
                        .toList()));
      }
      List<Long> seqs = new ArrayList<>();
      for (Future<List<AuditRecord>> result : results) {
        result.get().forEach(record -> seqs.add(record.seq()));
      }

      assertThat(seqs).hasSize(2_000).doesNotHaveDuplicates();
      assertThat(records(store))
          .extracting(AuditRecord::seq)
          .containsExactlyElementsOf(
              IntStream.rangeClosed(1, 2_000).mapToObj(i -> (long) i).toList());
      assertThat(store.audit().verify()).isEqualTo(new Verification(true, 2_000, 0, ""));
    } finally {
      threads.shutdownNow();
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "UPDATE audit_log SET detail = '{\"n\":999}' WHERE seq = 17"
            + " | 17 | record 17: hash does not match its content",
        "UPDATE audit_log SET detail = 'not json' WHERE seq = 17"
            + " | 17 | record 17: hash does not match its content",
        "UPDATE audit_log SET actor = 'someone-else' WHERE seq = 3"
            + " | 3 | record 3: hash does not match its content",
        "UPDATE audit_log SET kind = 'key.revoked' WHERE seq = 4"
            + " | 4 | record 4: hash does not match its content",
        "UPDATE audit_log SET kind = 'no.such_kind' WHERE seq = 6"
            + " | 6 | record 6: hash does not match its content (unreadable)",
        "UPDATE audit_log SET hash = 'abababababababababababababababababababababababababababababababab' WHERE seq = 5"
            + " | 5 | record 5: hash does not match its content",
        "DELETE FROM audit_log WHERE seq = 10 | 10 | record 10 missing",
        "DELETE FROM audit_log WHERE seq = 20 | 20 | record 20 missing: the chain ends at record 19",
        "DELETE FROM audit_log WHERE seq >= 15 | 15 | record 15 missing: the chain ends at record 14",
        "DELETE FROM audit_log | 1 | record 1 missing: the chain is empty",
        "UPDATE audit_log SET seq = 99 WHERE seq = 8 | 8 | record 8 missing",
        "UPDATE audit_log SET seq = 0 WHERE seq = 1 | 1 | record 1 missing: found record 0",
        "UPDATE audit_head SET seq = 19 | 20 | record 20 lies beyond the chain head",
        "UPDATE audit_head SET hash = 'cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd'"
            + " | 20 | record 20: hash does not match the chain head",
      })
  void verifyNamesTheFirstRecordThatWasTamperedWith(String sql, long record, String problem)
      throws Exception {
    appendSome(20);

    tamper(sql);
    Verification verification = store.audit().verify();

    assertThat(verification.intact()).isFalse();
    assertThat(verification.firstBroken()).isEqualTo(record);
    assertThat(verification.problem()).startsWith(problem);
  }

  @Test
  void verifyFindsTheNewestRecordsCutTogetherWithTheHeadRow() throws Exception {
    appendSome(20);

    tamper("DELETE FROM audit_log WHERE seq > 15");
    tamper("UPDATE audit_head SET seq = 15, hash = (SELECT hash FROM audit_log WHERE seq = 15)");
    Verification verification = store.audit().verify();

    assertThat(verification.intact()).isFalse();
    assertThat(verification.firstBroken()).isEqualTo(16);
    assertThat(verification.problem())
        .startsWith("record 16 missing: the chain ends at record 15 but the head witness")
        .endsWith(" names record 20");
  }

  @Test
  void aCutChainTakesNoNewRecordsThatWouldReuseTheNumbersOfTheRemovedOnes() throws Exception {
    appendSome(20);
    tamper("DELETE FROM audit_log WHERE seq > 15");
    tamper("UPDATE audit_head SET seq = 15, hash = (SELECT hash FROM audit_log WHERE seq = 15)");

    assertThatThrownBy(() -> store.audit().append(entry("service.started", "{}")))
        .isInstanceOf(StoreUnavailable.class)
        .hasMessageContaining("the audit chain ends at record 15")
        .hasMessageContaining("names record 20");
    assertThat(records(store)).hasSize(15);
    assertThat(store.audit().verify().firstBroken()).isEqualTo(16);
  }

  @Test
  void theHeadNamesTheNewestRecord() {
    assertThat(store.audit().head()).isEqualTo(new Head(0, AuditTrail.GENESIS, Optional.empty()));
    List<AuditRecord> records = appendSome(3);

    assertThat(store.audit().head())
        .isEqualTo(new Head(3, records.get(2).hash(), Optional.of(records.get(2).entry().at())));
  }

  @Test
  void verifyAgainstAHeadKeptElsewhereNeedsThatRecordWithThatHash() {
    List<AuditRecord> records = appendSome(20);
    Head kept = new Head(12, records.get(11).hash(), Optional.empty());

    assertThat(store.audit().verify(kept)).isEqualTo(new Verification(true, 20, 0, ""));
    assertThat(store.audit().verify(store.audit().head()).intact()).isTrue();
    assertThat(store.audit().verify(new Head(25, records.get(11).hash(), Optional.empty())))
        .isEqualTo(
            new Verification(
                false,
                20,
                21,
                "record 21 missing: the chain ends at record 20 but the expected head names record"
                    + " 25"));
    assertThat(store.audit().verify(new Head(12, records.get(12).hash(), Optional.empty())))
        .isEqualTo(
            new Verification(false, 20, 12, "record 12: hash does not match the expected head"));
  }

  @Test
  void aDetailWithARowIsTheStoresAlone() {
    assertThatThrownBy(() -> store.audit().append(entry("trigger.accepted", "{\"row\":{}}")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'row'");

    assertThat(records(store)).isEmpty();
  }

  @Test
  void verifyReportsARecordThatCannotBeReadAnyMoreAsChanged() throws Exception {
    appendSome(10);

    tamper("CREATE TABLE audit_copy AS SELECT * FROM audit_log");
    tamper("DROP TABLE audit_log");
    tamper("ALTER TABLE audit_copy RENAME TO audit_log");
    tamper("UPDATE audit_log SET kind = NULL WHERE seq = 6");
    Verification verification = store.audit().verify();

    assertThat(verification.firstBroken()).isEqualTo(6);
    assertThat(verification.problem()).startsWith("record 6: hash does not match its content");
    assertThat(verification.records()).isEqualTo(10);
  }

  @Test
  void verifyFindsARecordRehashedAfterAnEditAtTheNextLink() throws Exception {
    List<AuditRecord> records = appendSome(20);
    AuditRecord seventeen = records.get(16);
    String forged =
        sha256(
            seventeen.previousHash()
                + "\n{\"actor\":\"ci\",\"at\":\"2026-03-01T12:00:00.123456Z\",\"detail\":{\"n\":0},"
                + "\"execution_id\":null,\"intent\":null,\"kind\":\"trigger.accepted\",\"seq\":17,"
                + "\"source\":\"100.64.0.7\"}");

    tamper("UPDATE audit_log SET detail = '{\"n\":0}', hash = '" + forged + "' WHERE seq = 17");
    Verification verification = store.audit().verify();

    assertThat(verification.firstBroken()).isEqualTo(18);
    assertThat(verification.problem())
        .isEqualTo("record 18: previous hash does not match the hash of record 17");
  }

  private static Denial denial(String source, String reason, String actor) {
    return new Denial(T0, source, reason, actor, "{\"path\":\"/api/v1/intents/x/executions\"}");
  }

  @Test
  void aFloodOfDenialsIsRecordedAsTheFirstFewAndOneAggregate() {
    for (int i = 0; i < 1_000; i++) {
      store.audit().deny(denial("203.0.113.9", "bad_key", "anonymous"));
    }

    reopen(); // closing flushes the window

    List<AuditRecord> individual = records(store, "trigger.denied");
    List<AuditRecord> aggregated = records(store, "denials.aggregated");
    assertThat(individual).hasSize(INDIVIDUAL_DENIALS);
    assertThat(individual.getFirst().entry().detail()).contains("\"reason\":\"bad_key\"");
    assertThat(individual.getFirst().entry().source()).contains("203.0.113.9");
    assertThat(aggregated).hasSize(1);
    assertThat(aggregated.getFirst().entry().detail())
        .contains("\"count\":" + (1_000 - INDIVIDUAL_DENIALS))
        .contains("\"source\":\"203.0.113.9\"", "\"reason\":\"bad_key\"")
        .contains("\"actors\":[\"anonymous\"]", "\"first\":", "\"last\":");
    assertThat(store.audit().verify().intact()).isTrue();
  }

  @Test
  void countsEachSourceAndReasonApart() {
    for (int i = 0; i < 20; i++) {
      store.audit().deny(denial("203.0.113.1", "bad_key", "anonymous"));
      store.audit().deny(denial("203.0.113.2", "bad_key", "anonymous"));
      store.audit().deny(denial("203.0.113.1", "ip_denied", "anonymous"));
    }
    store.audit().deny(denial("203.0.113.3", "bad_key", "anonymous"));

    reopen();

    assertThat(records(store, "trigger.denied")).hasSize(3 * INDIVIDUAL_DENIALS + 1);
    assertThat(records(store, "denials.aggregated"))
        .hasSize(3)
        .allSatisfy(
            record ->
                assertThat(record.entry().detail())
                    .contains("\"count\":" + (20 - INDIVIDUAL_DENIALS)));
  }
}
