package dev.chatops.config;

import dev.chatops.policy.Cidr;
import dev.chatops.yaml.Position;
import dev.chatops.yaml.YamlList;
import dev.chatops.yaml.YamlMap;
import dev.chatops.yaml.YamlNode;
import dev.chatops.yaml.YamlScalar;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The parts of one section written in the file only ({@code github}, {@code slack}, {@code
 * discord}): values the schema refused are skipped (their problems are reported already), the
 * others parsed and any refusal reported where it was written. The section is built only when
 * nothing in it was refused, so that a half-read section never serves requests. Secrets are read
 * from their files; no problem holds one.
 */
final class SectionParts {

  private final ConfigReader in;
  private final String section;
  private final YamlMap map;
  private boolean failed;

  private SectionParts(ConfigReader in, String section, YamlMap map) {
    this.in = in;
    this.section = section;
    this.map = map;
  }

  /** The section's parts when it is written as a mapping (anything else is refused already). */
  static Optional<SectionParts> of(ConfigReader in, String section) {
    return in.writtenWhole(section)
        .filter(YamlMap.class::isInstance)
        .map(node -> new SectionParts(in, section, (YamlMap) node));
  }

  /** {@code github.rules[0].repo} and the like, for problems. */
  String field(String relative) {
    return section + "." + relative;
  }

  /**
   * The value at {@code path} inside the section (keys and list indexes), unless the schema refused
   * it or a value holding it; parts inside it may still be refused ({@link #clean}).
   */
  Optional<YamlNode> node(Object... path) {
    if (in.refusedAt(whole(path))) {
      return Optional.empty();
    }
    YamlNode node = map;
    for (Object step : path) {
      Optional<YamlNode> next =
          switch (node) {
            case YamlMap inner when step instanceof String key -> inner.get(key);
            case YamlList list when step instanceof Integer index && index < list.items().size() ->
                Optional.of(list.items().get(index));
            default -> Optional.empty();
          };
      if (next.isEmpty()) {
        return Optional.empty();
      }
      node = next.get();
    }
    return Optional.of(node);
  }

  /** Whether nothing at or inside {@code path} was refused by the schema. */
  boolean clean(Object... path) {
    return !in.refusedWithin(whole(path));
  }

  private List<Object> whole(Object... path) {
    List<Object> whole = new ArrayList<>();
    whole.add(section);
    whole.addAll(List.of(path));
    return whole;
  }

  /** The scalar at {@code path} inside the section, unless absent or refused. */
  Optional<YamlScalar> scalar(Object... path) {
    return node(path).filter(YamlScalar.class::isInstance).map(YamlScalar.class::cast);
  }

  /** The texts of the list at {@code path}, items the schema refused left out. */
  List<String> texts(Object... path) {
    List<String> texts = new ArrayList<>();
    if (node(path).orElse(null) instanceof YamlList list) {
      for (int i = 0; i < list.items().size(); i++) {
        List<Object> item = new ArrayList<>(List.of(path));
        item.add(i);
        scalar(item.toArray()).ifPresent(scalar -> texts.add(scalar.text()));
      }
    }
    return texts;
  }

  /** {@code node} parsed; empty when it is refused (reported as {@code field}). */
  <T> Optional<T> parsed(YamlNode node, String field, ConfigReader.Parser<T> parser) {
    Optional<T> value = in.parsed(node, field, parser);
    failed |= value.isEmpty();
    return value;
  }

  /**
   * The section key {@code dotted} ({@code statuses.api_url}) parsed, the schema's default when it
   * is not written; empty when refused (reported).
   */
  <T> Optional<T> valueOrDefault(String dotted, ConfigReader.Parser<T> parser) {
    Optional<T> value = in.parsed(field(dotted), parser);
    failed |= value.isEmpty();
    return value;
  }

  /** The secret in the file the scalar at {@code path} names; empty when absent or refused. */
  Optional<Secret> secretFile(String field, Object... path) {
    return node(path)
        .flatMap(
            node ->
                parsed(
                    node,
                    field(field),
                    (text, at) -> SecretFiles.read(Sections.path(in).parse(text, at))));
  }

  /** The section's {@code sources}: networks in CIDR form, each refusal reported. */
  List<Cidr> sources() {
    List<Cidr> sources = new ArrayList<>();
    if (node("sources").orElse(null) instanceof YamlList list) {
      for (int i = 0; i < list.items().size(); i++) {
        String field = field("sources[" + i + "]");
        scalar("sources", i)
            .flatMap(item -> parsed(item, field, (text, at) -> Cidr.parse(text)))
            .ifPresent(sources::add);
      }
    }
    return sources;
  }

  /** The section's {@code key}: an https:// address, or http:// to loopback; else the default. */
  Optional<URI> apiUrl(String dotted) {
    return valueOrDefault(dotted, (text, at) -> NotifyUrls.publicUrl(text));
  }

  /** Reports a problem at {@code position} of {@code within}; the section will not be built. */
  void refuse(YamlNode within, Position position, String field, String message) {
    failed = true;
    in.report(within, position, field, message);
  }

  /** The section, when nothing in it was refused; else empty (every problem reported). */
  <T> Optional<T> build(Supplier<T> section) {
    if (failed || in.refusedWithin(List.of(this.section))) {
      return Optional.empty();
    }
    return Optional.of(section.get());
  }
}
