package dev.chatops.yaml;

/**
 * A 1-based line and column in a source text; {@link #NONE} when a value has no place in a file.
 */
public record Position(int line, int column) implements Comparable<Position> {

  public static final Position NONE = new Position(0, 0);

  public boolean isKnown() {
    return line > 0;
  }

  @Override
  public int compareTo(Position other) {
    int byLine = Integer.compare(line, other.line);
    return byLine != 0 ? byLine : Integer.compare(column, other.column);
  }

  @Override
  public String toString() {
    return line + ":" + column;
  }
}
