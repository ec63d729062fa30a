package dev.chatops.notify;

import dev.chatops.config.NotifyChannel;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A Slack incoming webhook ({@code POST https://hooks.slack.com/services/T/B/X}): Block Kit (a
 * header with the title, a section with the text, one with the output as a code block, sections of
 * fields, a context line with the event and the link) and a plain {@code text} fallback for
 * notifications and old clients.
 *
 * <p>Every mrkdwn text has {@code &}, {@code <} and {@code >} escaped as Slack documents, so no
 * output can form a link, a {@code <!channel>} or a {@code <@user>} mention; {@code @channel} and
 * the like get a zero-width space. Everything is cut to Slack's limits (section text 3,000, field
 * 2,000, header 150, 10 fields a section, 50 blocks), at code point boundaries and never inside an
 * escape.
 */
public final class SlackFormat implements ChannelFormat {

  public static final int HEADER = 150;
  public static final int SECTION = 3_000;
  public static final int FIELD = 2_000;
  public static final int FIELDS_PER_SECTION = 10;
  public static final int BLOCKS = 50;
  static final int FALLBACK = 3_000;

  /** Field names are labels: kept short. */
  private static final int NAME_CAP = 100;

  /** An entity cut short by a cut (such as {@code &am}) at the end of a text. */
  private static final Pattern BROKEN_ENTITY = Pattern.compile("&[a-z]{0,3}$");

  /** Slack's own error codes, as its webhooks answer them: {@code no_service}... */
  private static final Pattern ERROR_CODE = Pattern.compile("[a-z_]{1,64}");

  private final NotifyChannel channel;
  private final URI uri;

  public SlackFormat(NotifyChannel channel) {
    this.channel = Objects.requireNonNull(channel, "channel");
    this.uri = Texts.address(channel.url().reveal(), channel.name());
  }

  @Override
  public HttpCall request(Notice notice, String deliveryId) {
    ObjectNode body = Texts.JSON.createObjectNode();
    String title = Texts.line(notice.title());
    if (title.isEmpty()) {
      title = notice.event().key();
    }
    String text = Texts.clean(notice.text());
    body.put(
        "text",
        cut(escape(Texts.cut(title, HEADER) + (text.isBlank() ? "" : "\n" + text)), FALLBACK));

    ArrayNode blocks = body.putArray("blocks");
    ObjectNode header = blocks.addObject().put("type", "header");
    header
        .putObject("text")
        .put("type", "plain_text")
        .put("text", Texts.cut(title, HEADER))
        .put("emoji", false);
    if (!text.isBlank()) {
      section(blocks, cut(escape(text), SECTION));
    }
    notice
        .code()
        .flatMap(code -> codeBlock(code, SECTION))
        .ifPresent(code -> section(blocks, code));

    // One block stays for the context line; fields beyond the last section that fits are named.
    int sections = BLOCKS - blocks.size() - 1;
    List<Notice.Field> fields = notice.fields();
    int shown = Math.min(fields.size(), sections * FIELDS_PER_SECTION);
    ArrayNode row = null;
    for (int i = 0; i < shown; i++) {
      if (i % FIELDS_PER_SECTION == 0) {
        row = blocks.addObject().put("type", "section").putArray("fields");
      }
      Notice.Field field = fields.get(i);
      String name = cut(escape(Texts.line(field.name())), NAME_CAP);
      String value = escape(Texts.clean(field.value()));
      String shownName = "*" + (name.isEmpty() ? "-" : name) + "*\n";
      row.addObject()
          .put("type", "mrkdwn")
          .put("text", shownName + cut(value.isEmpty() ? "-" : value, FIELD - shownName.length()));
    }

    StringBuilder context = new StringBuilder("ChatOps \u00b7 ").append(notice.event().key());
    if (shown < fields.size()) {
      context.append(" \u00b7 ").append(fields.size() - shown).append(" more fields left out");
    }
    notice
        .link()
        .map(link -> link(link).orElse(escape(Texts.line(link))))
        .ifPresent(link -> context.append(" \u00b7 ").append(link));
    ArrayNode elements = blocks.addObject().put("type", "context").putArray("elements");
    elements.addObject().put("type", "mrkdwn").put("text", cut(context.toString(), SECTION));
    return new HttpCall(
        "POST",
        uri,
        List.of(Map.entry("Content-Type", "application/json; charset=utf-8")),
        body.toString());
  }

  private static void section(ArrayNode blocks, String mrkdwn) {
    blocks
        .addObject()
        .put("type", "section")
        .putObject("text")
        .put("type", "mrkdwn")
        .put("text", mrkdwn);
  }

  /**
   * {@code text} as mrkdwn in at most {@code max} characters: cleaned ({@link Texts#clean}),
   * escaped ({@link #escape}) and cut, never inside an escape. Shared with the Slack app's replies.
   */
  public static String mrkdwn(String text, int max) {
    return cut(escape(Texts.clean(text)), max);
  }

  /** {@code text} on one line ({@link Texts#line}) cut to {@code max}: for plain_text places. */
  public static String plainLine(String text, int max) {
    return Texts.cut(Texts.line(text), max);
  }

  /** {@code code} as a mrkdwn code block of at most {@code max} characters, or empty when blank. */
  public static Optional<String> codeBlock(String code, int max) {
    String clean = Texts.clean(code);
    if (clean.isBlank()) {
      return Optional.empty();
    }
    return Optional.of("```\n" + cut(Texts.defuseBackticks(escape(clean)), max - 8) + "\n```");
  }

  /** {@code Retry-After} as Slack sends it (seconds), bounded as every format bounds it. */
  public static Optional<Duration> retryAfter(HttpHeaders headers) {
    return Texts.retryAfter(headers);
  }

  /** {@code <URL|open the execution>} when the link is a plain web address Slack can hold. */
  public static Optional<String> link(String link) {
    if (link.length() > 2_000 || !link.matches("[\\x21-\\x7e]+") || link.matches(".*[<>|&].*")) {
      return Optional.empty();
    }
    try {
      URI uri = new URI(link);
      boolean web = "https".equals(uri.getScheme()) || "http".equals(uri.getScheme());
      return web && uri.getHost() != null
          ? Optional.of("<" + link + "|open the execution>")
          : Optional.empty();
    } catch (URISyntaxException e) {
      return Optional.empty();
    }
  }

  /** Slack's three control characters as entities, then broadcast mentions defused. */
  static String escape(String text) {
    return Texts.defuseBroadcasts(
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"));
  }

  /** {@link Texts#cut} that never leaves half an entity before the ellipsis. */
  private static String cut(String escaped, int max) {
    String cut = Texts.cut(escaped, max);
    if (cut.length() == escaped.length()) {
      return cut;
    }
    String kept = cut.substring(0, cut.length() - Texts.ELLIPSIS.length());
    return BROKEN_ENTITY.matcher(kept).replaceFirst("") + Texts.ELLIPSIS;
  }

  @Override
  public Answer answer(int status, HttpHeaders headers, String body) {
    if (status >= 200 && status < 300) {
      return new Answer.Delivered(status);
    }
    String said = body.strip();
    String why =
        "slack answered "
            + status
            + (ERROR_CODE.matcher(said).matches()
                ? ": " + Texts.reason(said, channel.url(), channel.token())
                : "");
    if (status == 429) {
      return new Answer.Retry(why, Texts.retryAfter(headers));
    }
    if (status >= 500 || status == 408) {
      return new Answer.Retry(why, Texts.retryAfter(headers));
    }
    return new Answer.Refused(why);
  }

  /** Names the channel only: its address and token are secrets. */
  @Override
  public String toString() {
    return "SlackFormat[" + channel.name() + "]";
  }
}
