package dev.chatops.yaml;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.dataformat.yaml.YAMLFactory;
import tools.jackson.dataformat.yaml.YAMLParser;

/**
 * Parses YAML text into located trees, one per document, with the limits a reviewed config language
 * needs: no anchors or aliases (so no alias bombs, and what a reviewer reads is what runs), no
 * tags, no duplicate keys, bounded nesting and string length.
 *
 * <p>Thread-safe and reusable.
 */
public final class YamlReader {

  /** What a text parsed into: its documents, and the problems that stopped it being trusted. */
  public record Parsed(List<Document> documents, List<Problem> problems) {
    public Parsed {
      documents = List.copyOf(documents);
      problems = List.copyOf(problems);
    }

    public boolean ok() {
      return problems.isEmpty();
    }
  }

  /** One YAML document; {@code root} is null for an empty document. */
  public record Document(Position start, YamlNode root) {}

  static final int MAX_PROBLEMS_PER_TEXT = 20;

  private final YAMLFactory factory;
  private final int maxDepth;
  private final int maxDocuments;

  /**
   * @param maxDepth deepest nesting of mappings and lists accepted
   * @param maxStringLength longest scalar accepted, in characters
   * @param maxDocuments most documents accepted in one text
   */
  public YamlReader(int maxDepth, int maxStringLength, int maxDocuments) {
    this.maxDepth = maxDepth;
    this.maxDocuments = maxDocuments;
    this.factory =
        YAMLFactory.builder()
            .streamReadConstraints(
                StreamReadConstraints.builder()
                    .maxNestingDepth(maxDepth)
                    .maxStringLength(maxStringLength)
                    .maxNameLength(maxStringLength)
                    .maxNumberLength(64)
                    .build())
            .build();
  }

  /** Parses {@code text}; {@code source} names it in problems. Never throws on bad input. */
  public Parsed parse(String source, String text) {
    List<Document> documents = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    try (JsonParser parser = factory.createParser(ObjectReadContext.empty(), text)) {
      try {
        new Builder(source, (YAMLParser) parser, problems).readDocuments(documents);
      } catch (TooManyProblems e) {
        problems.add(new Problem(source, e.at, "", "too many problems; stopped reading this file"));
      } catch (StreamConstraintsException e) {
        problems.add(constraintProblem(source, e, position(parser.currentLocation())));
      }
    } catch (JacksonException e) {
      problems.add(syntaxProblem(source, e));
    }
    return new Parsed(documents, problems);
  }

  private Problem constraintProblem(String source, StreamConstraintsException e, Position at) {
    String message = e.getOriginalMessage();
    if (message != null && message.contains("nesting depth")) {
      message = "nesting deeper than " + maxDepth + " levels";
    } else if (message != null && message.contains("String value length")) {
      message = "a value is longer than the allowed length";
    } else if (message != null && message.contains("Number value length")) {
      message = "a number has too many digits";
    } else {
      message = "input exceeds a parser limit";
    }
    return new Problem(source, at, "", message);
  }

  private static Problem syntaxProblem(String source, JacksonException e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof MarkedYamlEngineException marked) {
        Position at =
            marked
                .getProblemMark()
                .or(marked::getContextMark)
                .map(YamlReader::position)
                .orElse(position(e.getLocation()));
        String problem = marked.getProblem();
        String context = marked.getContext();
        String message = context == null ? problem : context + ": " + problem;
        return new Problem(source, at, "", "YAML syntax: " + tidy(message));
      }
    }
    String message = e.getOriginalMessage();
    return new Problem(
        source,
        position(e.getLocation()),
        "",
        "YAML syntax: " + tidy(message == null ? "" : message));
  }

  private static String tidy(String message) {
    String oneLine = message.replace("\\t(TAB)", "tab").replaceAll("\\s+", " ").trim();
    return oneLine.isEmpty() ? "unreadable YAML" : oneLine;
  }

  private static Position position(Mark mark) {
    return new Position(mark.getLine() + 1, mark.getColumn() + 1);
  }

  static Position position(TokenStreamLocation location) {
    if (location == null || location.getLineNr() < 1) {
      return Position.NONE;
    }
    return new Position(location.getLineNr(), Math.max(1, location.getColumnNr()));
  }

  /** Stops a text that is mostly problems (an alias bomb, say) without collecting them all. */
  private static final class TooManyProblems extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Position at;

    TooManyProblems(Position at) {
      super(null, null, false, false);
      this.at = at;
    }
  }

  /** Builds the located tree from the token stream of one parser. */
  private final class Builder {
    private final String source;
    private final YAMLParser parser;
    private final List<Problem> problems;

    Builder(String source, YAMLParser parser, List<Problem> problems) {
      this.source = source;
      this.parser = parser;
      this.problems = problems;
    }

    void readDocuments(List<Document> documents) {
      JsonToken token;
      while ((token = parser.nextToken()) != null) {
        if (documents.size() >= maxDocuments) {
          report(
              new Problem(
                  source,
                  here(),
                  "",
                  "more than "
                      + maxDocuments
                      + (maxDocuments == 1 ? " document" : " documents")
                      + " in one file"));
          return;
        }
        Position start = here();
        YamlNode root = token == JsonToken.VALUE_NULL ? null : read(token);
        documents.add(new Document(start, root));
      }
    }

    private YamlNode read(JsonToken token) {
      Position at = here();
      checkNoAnchorOrTag(at);
      return switch (token) {
        case START_OBJECT -> readMap(at);
        case START_ARRAY -> readList(at);
        case VALUE_STRING -> {
          if (parser.isCurrentAlias()) {
            report(
                new Problem(
                    source,
                    at,
                    "",
                    "YAML aliases (*"
                        + parser.getString()
                        + ") are not allowed: write the value out"));
          }
          yield YamlScalar.string(at, parser.getString());
        }
        case VALUE_NUMBER_INT -> new YamlScalar(at, YamlScalar.Kind.INTEGER, parser.getString());
        case VALUE_NUMBER_FLOAT -> new YamlScalar(at, YamlScalar.Kind.FLOAT, parser.getString());
        case VALUE_TRUE -> new YamlScalar(at, YamlScalar.Kind.BOOLEAN, "true");
        case VALUE_FALSE -> new YamlScalar(at, YamlScalar.Kind.BOOLEAN, "false");
        case VALUE_NULL -> new YamlScalar(at, YamlScalar.Kind.NULL, "");
        default -> {
          report(new Problem(source, at, "", "unsupported YAML value"));
          yield new YamlScalar(at, YamlScalar.Kind.NULL, "");
        }
      };
    }

    private YamlMap readMap(Position at) {
      Map<String, YamlMap.Entry> entries = new LinkedHashMap<>();
      Map<String, Position> seen = new HashMap<>();
      JsonToken token;
      while ((token = parser.nextToken()) != JsonToken.END_OBJECT) {
        if (token == null) {
          break;
        }
        String key = parser.currentName();
        Position keyAt = here();
        JsonToken valueToken = parser.nextToken();
        if (valueToken == null) {
          break;
        }
        YamlNode value = read(valueToken);
        Position first = seen.putIfAbsent(key, keyAt);
        if (first != null) {
          report(
              new Problem(
                  source,
                  keyAt,
                  key,
                  "duplicate key '" + key + "' (first written at line " + first.line() + ")"));
        } else {
          entries.put(key, new YamlMap.Entry(key, keyAt, value));
        }
      }
      return new YamlMap(at, entries);
    }

    private YamlList readList(Position at) {
      List<YamlNode> items = new ArrayList<>();
      JsonToken token;
      while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
        if (token == null) {
          break;
        }
        items.add(read(token));
      }
      return new YamlList(at, items);
    }

    private void checkNoAnchorOrTag(Position at) {
      Object anchor = parser.getObjectId();
      if (anchor != null) {
        report(
            new Problem(
                source,
                at,
                "",
                "YAML anchors (&" + anchor + ") are not allowed: write each value out"));
      }
      Object tag = parser.getTypeId();
      if (tag != null) {
        report(
            new Problem(
                source,
                at,
                "",
                "YAML tags (" + tag + ") are not allowed: quote the value to make it a string"));
      }
    }

    private void report(Problem problem) {
      if (problems.size() >= MAX_PROBLEMS_PER_TEXT) {
        throw new TooManyProblems(problem.position());
      }
      problems.add(problem);
    }

    private Position here() {
      return position(parser.currentTokenLocation());
    }
  }
}
