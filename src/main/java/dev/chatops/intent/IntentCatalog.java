package dev.chatops.intent;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** A consistent, immutable set of intents by name: what a service swaps whole on reload. */
public final class IntentCatalog {

  private final Map<String, Intent> byName;

  public IntentCatalog(Collection<Intent> intents) {
    Map<String, Intent> map = new LinkedHashMap<>();
    for (Intent intent : intents) {
      if (map.putIfAbsent(intent.name(), intent) != null) {
        throw new IllegalArgumentException("duplicate intent " + intent.name());
      }
    }
    this.byName = Collections.unmodifiableMap(map);
  }

  public Optional<Intent> find(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  public Collection<Intent> all() {
    return byName.values();
  }

  public int size() {
    return byName.size();
  }
}
