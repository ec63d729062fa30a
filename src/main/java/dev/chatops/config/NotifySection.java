package dev.chatops.config;

import dev.chatops.yaml.Suggestions;
import dev.chatops.yaml.YamlList;
import dev.chatops.yaml.YamlNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Binds {@code notify}. URLs hold tokens, so no message ever quotes one. Omitted {@code events}
 * mean every event (see {@link Notify}).
 */
final class NotifySection {

  private static final Pattern DISCORD = Pattern.compile("[0-9]{1,30}/[A-Za-z0-9_-]{1,200}");
  private static final Pattern NO_SPACE = Pattern.compile("\\S+");
  private static final String SHORT_FORMS =
      "discord://ID/TOKEN, slack://..., matrix://..., ntfy://..., gotify://...,"
          + " generic+https://...";

  /** A checked URL: which service, and how to read it. */
  record Target(Notify.Service service, Notify.UrlForm form) {}

  private NotifySection() {}

  static List<Notify> notify(Binding binding, Optional<YamlNode> node) {
    Optional<YamlList> list = node.flatMap(n -> binding.list(n, "notify"));
    List<Notify> channels = new ArrayList<>();
    for (int i = 0; list.isPresent() && i < list.get().items().size(); i++) {
      entry(binding, Texts.item("notify", i), list.get().items().get(i)).ifPresent(channels::add);
    }
    return channels;
  }

  private static Optional<Notify> entry(Binding binding, String path, YamlNode node) {
    Fields fields =
        Fields.of(binding, path, Optional.of(node), List.of("url", "url_file", "type", "events"));
    if (!fields.present()) {
      return Optional.empty();
    }
    Optional<Notify.Service> type = fields.string("type", NotifySection::service);
    boolean typeOk = !fields.has("type") || type.isPresent();
    if (!fields.has("url") && !fields.has("url_file")) {
      fields.missing("url", "needs 'url' or 'url_file'");
    }
    Optional<Secret> url = fields.secret("url");
    String urlKey = fields.has("url") ? "url" : "url_file";
    Optional<Target> target = Optional.empty();
    if (url.isPresent() && typeOk) {
      Checked<Target> checked = target(type, url.get().reveal());
      if (checked instanceof Checked.Invalid<Target> invalid && urlKey.equals("url_file")) {
        checked = Checked.invalid("the URL in the file: " + invalid.message());
      }
      target = binding.check(fields.get(urlKey).orElseThrow(), fields.field(urlKey), checked);
    }
    Optional<Set<NotifyEvent>> events = events(binding, fields);
    if (url.isEmpty() || target.isEmpty() || events.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new Notify(target.get().service(), target.get().form(), url.get(), events.get()));
  }

  static Checked<Notify.Service> service(String text) {
    return Notify.Service.fromKey(text)
        .map(Checked::valid)
        .orElseGet(
            () ->
                Checked.invalid(
                    "must be one of "
                        + String.join(", ", Notify.Service.keys())
                        + " (found "
                        + Texts.quote(text)
                        + ")"
                        + Suggestions.hint(text, Notify.Service.keys())));
  }

  /** Checks a notification URL without ever quoting it. */
  static Checked<Target> target(Optional<Notify.Service> type, String url) {
    int separator = url.indexOf("://");
    String scheme = separator < 0 ? "" : url.substring(0, separator);
    String rest = separator < 0 ? "" : url.substring(separator + 3);
    if (type.isPresent()) {
      if (!(scheme.equals("https") || scheme.equals("http")) || !hasHost(url)) {
        return Checked.invalid(
            "with 'type', the url is the service's own http(s):// address"
                + (Notify.Service.fromKey(scheme).isPresent() || scheme.startsWith("generic+")
                    ? "; drop 'type' to use a short URL"
                    : ""));
      }
      return Checked.valid(new Target(type.get(), Notify.UrlForm.SERVICE));
    }
    if (scheme.equals("generic+https") || scheme.equals("generic+http")) {
      return hasHost(scheme.substring("generic+".length()) + "://" + rest)
          ? Checked.valid(new Target(Notify.Service.GENERIC, Notify.UrlForm.SHORT))
          : Checked.invalid("a generic URL is generic+https://HOST/PATH");
    }
    if (scheme.equals("https") || scheme.equals("http")) {
      return Checked.invalid(
          "a plain http(s) address needs 'type' naming the service, or use generic+https://");
    }
    Optional<Notify.Service> service =
        Notify.Service.fromKey(scheme).filter(s -> s != Notify.Service.GENERIC);
    if (service.isEmpty()) {
      return Checked.invalid(
          "unknown notification URL scheme; expected "
              + SHORT_FORMS
              + ", or 'type' with the service's own https:// address");
    }
    if (!NO_SPACE.matcher(rest).matches()) {
      return Checked.invalid("a " + scheme + ":// URL needs more after the scheme, without spaces");
    }
    if (service.get() == Notify.Service.DISCORD && !DISCORD.matcher(rest).matches()) {
      return Checked.invalid("a Discord short URL is discord://WEBHOOK_ID/TOKEN");
    }
    return Checked.valid(new Target(service.get(), Notify.UrlForm.SHORT));
  }

  private static boolean hasHost(String url) {
    try {
      URI uri = new URI(url);
      return uri.getHost() != null && uri.getPort() <= 65535 && uri.getRawFragment() == null;
    } catch (URISyntaxException e) {
      return false;
    }
  }

  private static Optional<Set<NotifyEvent>> events(Binding binding, Fields fields) {
    if (!fields.has("events")) {
      return Optional.of(EnumSet.allOf(NotifyEvent.class));
    }
    Optional<List<Fields.Item>> items = fields.list("events");
    if (items.isEmpty()) {
      return Optional.empty();
    }
    if (items.get().isEmpty()) {
      fields.reportAt(
          "events", "must list at least one event; leave it out for all, or remove the entry");
      return Optional.empty();
    }
    Set<NotifyEvent> events = EnumSet.noneOf(NotifyEvent.class);
    boolean ok = true;
    for (Fields.Item item : items.get()) {
      Optional<NotifyEvent> event =
          binding
              .string(item.node(), item.field())
              .flatMap(text -> binding.check(item.node(), item.field(), event(text)));
      if (event.isPresent() && !events.add(event.get())) {
        binding.report(item.node(), item.field(), "is listed twice");
        ok = false;
      }
      ok &= event.isPresent();
    }
    return ok ? Optional.of(events) : Optional.empty();
  }

  static Checked<NotifyEvent> event(String text) {
    return NotifyEvent.fromKey(text)
        .map(Checked::valid)
        .orElseGet(
            () -> {
              String hint = Suggestions.hint(text, NotifyEvent.keys());
              return Checked.invalid(
                  "unknown event "
                      + Texts.quote(text)
                      + (hint.isEmpty()
                          ? "; expected one of " + String.join(", ", NotifyEvent.keys())
                          : hint));
            });
  }
}
