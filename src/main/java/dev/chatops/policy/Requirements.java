package dev.chatops.policy;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Labels an intent requires ({@code require.labels}) against those a trigger carries. */
public final class Requirements {

  private Requirements() {}

  /**
   * The required labels that {@code given} lacks, in the order required, each once; empty when all
   * are there. Labels compare exactly (case included): a near miss is denied, and the denial names
   * the missing label.
   */
  public static List<String> missingLabels(List<String> required, List<String> given) {
    Set<String> present = Set.copyOf(given);
    Set<String> missing = new LinkedHashSet<>();
    for (String label : required) {
      if (!present.contains(label)) {
        missing.add(label);
      }
    }
    return List.copyOf(missing);
  }
}
