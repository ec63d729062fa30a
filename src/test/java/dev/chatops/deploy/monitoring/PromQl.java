package dev.chatops.deploy.monitoring;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The series a PromQL expression (an alert's, or a Grafana target's) selects, found without a
 * parser: what is not a series name (strings, label matchers, ranges, Grafana variables, grouping
 * labels, offsets, function names, keywords, numbers) is cut away, and the names that remain are
 * the series. Enough for the expressions of {@code deploy/}, whose tests check it on each form they
 * use.
 */
final class PromQl {

  private static final Pattern STRINGS =
      Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
  private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*}");
  private static final Pattern RANGES = Pattern.compile("\\[[^]]*]");
  private static final Pattern VARIABLES = Pattern.compile("\\$\\{[^}]*}|\\$\\w+");
  private static final Pattern GROUPING =
      Pattern.compile("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
  private static final Pattern OFFSET = Pattern.compile("\\boffset\\s+-?\\w+");
  private static final Pattern NAME =
      Pattern.compile("(?<![\\w.:])([a-zA-Z_:][a-zA-Z0-9_:]*+)(?!\\s*\\()");
  private static final Set<String> KEYWORDS =
      Set.of(
          "and",
          "or",
          "unless",
          "bool",
          "by",
          "without",
          "on",
          "ignoring",
          "group_left",
          "group_right",
          "offset",
          "inf",
          "nan",
          "Inf",
          "NaN",
          "atan2");

  /** {@code label_values(SERIES, label)}, a Grafana variable's query. */
  private static final Pattern LABEL_VALUES =
      Pattern.compile("^\\s*label_values\\((.*),\\s*[a-zA-Z_]\\w*\\s*\\)\\s*$", Pattern.DOTALL);

  private PromQl() {}

  /** The series names {@code expr} selects, sorted. */
  static Set<String> series(String expr) {
    String rest = STRINGS.matcher(expr).replaceAll("\"\"");
    for (Pattern cut : new Pattern[] {MATCHERS, RANGES, VARIABLES, GROUPING, OFFSET}) {
      rest = cut.matcher(rest).replaceAll(" ");
    }
    Set<String> names = new TreeSet<>();
    Matcher name = NAME.matcher(rest);
    while (name.find()) {
      if (!KEYWORDS.contains(name.group(1))) {
        names.add(name.group(1));
      }
    }
    return names;
  }

  /** The series a Grafana variable's query names: {@code label_values(SERIES, label)}. */
  static Set<String> variableSeries(String query) {
    Matcher labelValues = LABEL_VALUES.matcher(query);
    if (!labelValues.matches()) {
      throw new AssertionError("not a label_values(series, label) query: " + query);
    }
    return series(labelValues.group(1));
  }
}
