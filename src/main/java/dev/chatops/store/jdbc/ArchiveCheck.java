package dev.chatops.store.jdbc;

import dev.chatops.store.AuditEntry;
import dev.chatops.store.AuditKind;
import dev.chatops.store.AuditRecord;
import dev.chatops.store.AuditTrail;
import dev.chatops.store.jdbc.Pruning.Checkpoint;
import dev.chatops.store.jdbc.RowCheck.Entity;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Archives of pruned records checked against the chain: each archive's records must chain (every
 * hash recomputed, every link and number checked), its last record must be the one a trusted
 * checkpoint names with its hash, its first must link to the record a trusted checkpoint names, and
 * its SHA-256 must be the one that checkpoint records. Checkpoints in the chain are trusted (the
 * chain is verified with its head and witness); so are those inside an archive once it is. Each
 * pruned execution in an archive must agree with what the archive's records say of it, and its
 * report with their {@code report_sha256}.
 */
final class ArchiveCheck {

  /** The outcome: the first problem found (empty if none), and how many records were checked. */
  record Result(String problem, long records) {}

  private ArchiveCheck() {}

  /** One archive as read: its chain checked, what it names. */
  private record Segment(
      Path file,
      long first,
      String firstLink,
      long last,
      String lastHash,
      String sha256,
      List<Checkpoint> checkpoints,
      Map<Long, String> anchored,
      long records) {}

  /**
   * Checks {@code archives} against the {@code trusted} checkpoints of the chain; {@code pruned},
   * if present, is a head kept elsewhere that names a record the chain no longer holds.
   */
  static Result check(
      List<Path> archives, List<Checkpoint> trusted, Optional<AuditTrail.Head> pruned) {
    List<Segment> pending = new ArrayList<>();
    long records = 0;
    for (Path file : archives) {
      Segment segment;
      try {
        segment = read(file, pruned.map(AuditTrail.Head::seq));
      } catch (ArchiveProblem e) {
        return new Result(e.getMessage(), records);
      }
      records += segment.records();
      pending.add(segment);
    }
    List<Checkpoint> known = new ArrayList<>(trusted);
    List<Segment> verified = new ArrayList<>();
    boolean moved = true;
    while (moved) {
      moved = false;
      for (Segment segment : List.copyOf(pending)) {
        Optional<Checkpoint> names = named(known, segment.last());
        if (names.isEmpty()) {
          continue;
        }
        Checkpoint checkpoint = names.get();
        if (!checkpoint.lastHash().equals(segment.lastHash())) {
          return problem(segment, "its last record " + segment.last(), checkpoint, "hash");
        }
        if (!checkpoint.archiveSha256().equals(segment.sha256())) {
          return problem(segment, "its SHA-256 " + segment.sha256(), checkpoint, "archive");
        }
        pending.remove(segment);
        verified.add(segment);
        known.addAll(segment.checkpoints());
        moved = true;
      }
    }
    if (!pending.isEmpty()) {
      Segment segment = pending.getFirst();
      return new Result(
          "archive "
              + segment.file()
              + ": no checkpoint in the chain or in a verified archive names its last record "
              + segment.last(),
          records);
    }
    for (Segment segment : verified) {
      if (segment.first() == 1
          ? !segment.firstLink().equals(AuditTrail.GENESIS)
          : !linked(known, segment)) {
        return new Result(
            "archive "
                + segment.file()
                + ": its first record "
                + segment.first()
                + " links to a hash that no checkpoint names for record "
                + (segment.first() - 1),
            records);
      }
    }
    if (pruned.isPresent()) {
      AuditTrail.Head head = pruned.get();
      Optional<Segment> holding =
          verified.stream()
              .filter(segment -> segment.anchored().containsKey(head.seq()))
              .findFirst();
      if (holding.isEmpty()) {
        return new Result(
            "the expected head names record "
                + head.seq()
                + ", which was pruned and is in none of the archives given",
            records);
      }
      if (!holding.get().anchored().get(head.seq()).equals(head.hash())) {
        return new Result(
            "record "
                + head.seq()
                + ": hash does not match the expected head (archive "
                + holding.get().file()
                + ")",
            records);
      }
    }
    return new Result("", records);
  }

  private static Optional<Checkpoint> named(List<Checkpoint> known, long last) {
    return known.stream().filter(checkpoint -> checkpoint.last() == last).findFirst();
  }

  private static boolean linked(List<Checkpoint> known, Segment segment) {
    return named(known, segment.first() - 1)
        .map(checkpoint -> checkpoint.lastHash().equals(segment.firstLink()))
        .orElse(false);
  }

  private static Result problem(Segment segment, String what, Checkpoint checkpoint, String kind) {
    return new Result(
        "archive "
            + segment.file()
            + ": "
            + what
            + " does not match the "
            + kind
            + " the checkpoint in record "
            + checkpoint.seq()
            + " names",
        segment.records());
  }

  /** A problem found reading one archive. */
  private static final class ArchiveProblem extends Exception {
    private static final long serialVersionUID = 1L;

    ArchiveProblem(Path file, String what) {
      super("archive " + file + ": " + what, null, false, false);
    }
  }

  private static Segment read(Path file, Optional<Long> anchor) throws ArchiveProblem {
    MessageDigest sha256;
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
    List<Checkpoint> checkpoints = new ArrayList<>();
    Map<Long, String> anchored = new HashMap<>();
    Map<Entity, List<AuditRecord>> about = new HashMap<>();
    List<ObjectNode> executions = new ArrayList<>();
    long first = 0;
    String firstLink = "";
    long last = 0;
    String lastHash = "";
    long records = 0;
    int number = 0;
    try (BufferedReader lines =
        new BufferedReader(
            new InputStreamReader(
                new DigestInputStream(Files.newInputStream(file), sha256),
                StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        number++;
        ObjectNode node;
        try {
          node = Canonical.object(line, "line " + number);
        } catch (IllegalArgumentException e) {
          throw new ArchiveProblem(file, e.getMessage());
        }
        if (node.get(Archive.PRUNED_EXECUTION) instanceof ObjectNode execution) {
          executions.add(execution);
          continue;
        }
        AuditRecord record = record(node, file, number);
        ObjectNode detail = (ObjectNode) node.get("detail");
        if (records == 0) {
          first = record.seq();
          firstLink = record.previousHash();
        } else if (record.seq() != last + 1) {
          throw new ArchiveProblem(file, "record " + (last + 1) + " missing");
        } else if (!record.previousHash().equals(lastHash)) {
          throw new ArchiveProblem(
              file,
              "record "
                  + record.seq()
                  + ": previous hash does not match the hash of record "
                  + last);
        }
        if (!Canonical.hash(record.previousHash(), record.seq(), record.entry(), detail)
            .equals(record.hash())) {
          throw new ArchiveProblem(
              file, "record " + record.seq() + ": hash does not match its content");
        }
        if (record.entry().kind() == AuditKind.AUDIT_PRUNED) {
          Pruning.Checkpoint.of(record.seq(), detail).ifPresent(checkpoints::add);
        }
        for (ChainSays.Change change : ChainSays.changes(record.entry(), detail)) {
          ChainSays.track(about, change, record);
        }
        if (anchor.isPresent() && anchor.get() == record.seq()) {
          anchored.put(record.seq(), record.hash());
        }
        records++;
        last = record.seq();
        lastHash = record.hash();
      }
    } catch (IOException e) {
      throw new ArchiveProblem(file, "cannot be read: " + e.getMessage());
    }
    if (records == 0) {
      throw new ArchiveProblem(file, "holds no record");
    }
    for (ObjectNode execution : executions) {
      checkExecution(file, execution, about);
    }
    return new Segment(
        file,
        first,
        firstLink,
        last,
        lastHash,
        HexFormat.of().formatHex(sha256.digest()),
        List.copyOf(checkpoints),
        Map.copyOf(anchored),
        records);
  }

  private static void checkExecution(
      Path file, ObjectNode execution, Map<Entity, List<AuditRecord>> about) throws ArchiveProblem {
    String id = execution.path("id").asString("");
    Entity entity = new Entity(RowCheck.EXECUTIONS, id);
    List<AuditRecord> history = about.get(entity);
    if (id.isEmpty() || history == null) {
      throw new ArchiveProblem(file, "execution '" + id + "' has no record in the archive");
    }
    JsonNode report = execution.get("report");
    JsonNode reportSha256 = execution.get("report_sha256");
    String actual = report == null || report.isNull() ? null : Canonical.sha256(report.asString());
    String named = reportSha256 == null || reportSha256.isNull() ? null : reportSha256.asString();
    if (actual == null ? named != null : !actual.equals(named)) {
      throw new ArchiveProblem(
          file, "execution " + id + ": its report does not match report_sha256");
    }
    List<String> disagreements = new ArrayList<>();
    ChainSays says = new ChainSays(entity, disagreements::add);
    history.forEach(says::apply);
    says.compare(execution);
    if (!disagreements.isEmpty()) {
      throw new ArchiveProblem(file, disagreements.getFirst());
    }
  }

  private static AuditRecord record(ObjectNode node, Path file, int number) throws ArchiveProblem {
    try {
      long seq = node.path("seq").asLong(-1);
      Optional<AuditKind> kind = AuditKind.ofKey(node.path("kind").asString(""));
      if (seq < 1
          || !node.path("seq").isIntegralNumber()
          || kind.isEmpty()
          || !(node.get("detail") instanceof ObjectNode detail)) {
        throw new ArchiveProblem(file, "line " + number + " is no audit record");
      }
      AuditEntry entry =
          new AuditEntry(
              Instant.parse(node.path("at").asString("")),
              kind.get(),
              node.path("actor").asString(""),
              text(node, "source"),
              text(node, "intent"),
              text(node, "execution_id"),
              Canonical.write(detail));
      return new AuditRecord(
          seq, entry, node.path("previous_hash").asString(""), node.path("hash").asString(""));
    } catch (DateTimeParseException e) {
      throw new ArchiveProblem(file, "line " + number + " has no valid time");
    }
  }

  private static Optional<String> text(ObjectNode node, String name) {
    JsonNode value = node.get(name);
    return value == null || value.isNull() ? Optional.empty() : Optional.of(value.asString());
  }
}
