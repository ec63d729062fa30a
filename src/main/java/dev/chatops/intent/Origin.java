package dev.chatops.intent;

import dev.chatops.yaml.Position;
import dev.chatops.yaml.YamlJson;
import dev.chatops.yaml.YamlMap;
import dev.chatops.yaml.YamlNode;
import java.util.Arrays;
import java.util.List;

/**
 * Where an intent was written: its file and the document it came from, kept so that checks made
 * after loading can still point at a line.
 */
record Origin(String source, YamlMap document) {

  /** The start of the intent's document. */
  public Position position() {
    return document.position();
  }

  /**
   * The position of the value at {@code path} (keys and list indexes), falling back to the nearest
   * enclosing node that exists.
   */
  public Position position(Object... path) {
    List<Object> steps = Arrays.asList(path);
    for (int length = steps.size(); length > 0; length--) {
      var node = YamlJson.find(document, steps.subList(0, length));
      if (node.isPresent()) {
        return node.map(YamlNode::position).get();
      }
    }
    return document.position();
  }

  /** The position of the key {@code key} of the top-level mapping. */
  public Position keyPosition(String key) {
    return document.keyPosition(key);
  }

  @Override
  public String toString() {
    return source + ":" + document.position();
  }
}
