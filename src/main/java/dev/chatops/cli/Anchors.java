package dev.chatops.cli;

import dev.chatops.store.AuditTrail;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Heads of the audit chain kept elsewhere, as {@code audit head} prints them and {@code audit
 * verify --expect/--anchor} reads them back: one JSON object per line with {@code seq} and {@code
 * hash} (and {@code at}). An export's lines have both too, so an export kept elsewhere anchors the
 * chain as well, and so does an archive of {@code history prune} (its executions' lines skipped).
 */
final class Anchors {

  private static final Pattern EXPECT = Pattern.compile("(\\d{1,18}):([0-9a-f]{64})");
  private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");

  /** Lines longer than this are no head (an export's line may be long: its detail is in it). */
  private static final int MAX_LINE = 1 << 20;

  /** How a pruned execution's line in an archive begins (its JSON is canonical: one member). */
  private static final String PRUNED_EXECUTION = "{\"pruned_execution\":";

  private Anchors() {}

  /** The head as one JSON line. */
  static String json(AuditTrail.Head head) {
    ObjectNode node = ProblemPrinter.JSON.createObjectNode();
    node.put("seq", head.seq());
    node.put("hash", head.hash());
    head.at().ifPresent(at -> node.put("at", at.toString()));
    return node.toString();
  }

  /**
   * Parses {@code SEQ:HASH}.
   *
   * @throws IllegalArgumentException saying what is expected
   */
  static AuditTrail.Head parseExpect(String text) {
    Matcher matcher = EXPECT.matcher(text.strip());
    if (!matcher.matches()) {
      throw new IllegalArgumentException(
          "--expect must be SEQ:HASH, a record number and its hash (64 lower-case hex digits), as"
              + " `chatops audit head` prints them");
    }
    return new AuditTrail.Head(
        Long.parseLong(matcher.group(1)), matcher.group(2), Optional.empty());
  }

  /**
   * The head with the highest record number in {@code file}: any record the chain holds covers
   * every one before it.
   *
   * @throws IllegalArgumentException when the file cannot be read or names no head
   */
  static AuditTrail.Head read(Path file) {
    Optional<AuditTrail.Head> highest = Optional.empty();
    int number = 0;
    try (BufferedReader lines = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        if (line.length() > MAX_LINE) {
          throw new IllegalArgumentException(file + " line " + number + " is too long");
        }
        if (line.startsWith(PRUNED_EXECUTION)) {
          continue; // an execution in the archive of `history prune`, no record
        }
        AuditTrail.Head head = head(line, file, number);
        if (highest.isEmpty() || head.seq() > highest.get().seq()) {
          highest = Optional.of(head);
        }
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read --anchor " + file + ": " + e.getMessage(), e);
    }
    return highest.orElseThrow(
        () -> new IllegalArgumentException("--anchor " + file + " names no head"));
  }

  private static AuditTrail.Head head(String line, Path file, int number) {
    JsonNode json;
    try {
      json = ProblemPrinter.JSON.readTree(line);
    } catch (JacksonException e) {
      json = null;
    }
    JsonNode seq = json == null ? null : json.get("seq");
    JsonNode hash = json == null ? null : json.get("hash");
    if (seq == null
        || !seq.isIntegralNumber()
        || !seq.canConvertToLong()
        || seq.longValue() < 0
        || hash == null
        || !hash.isString()
        || !HASH.matcher(hash.stringValue()).matches()) {
      throw new IllegalArgumentException(
          file
              + " line "
              + number
              + " is no head: expected a JSON object with \"seq\" and \"hash\", as `chatops audit"
              + " head` prints it");
    }
    return new AuditTrail.Head(seq.longValue(), hash.stringValue(), Optional.empty());
  }
}
