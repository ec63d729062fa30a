package dev.chatops.notify;

import dev.chatops.config.NotifyChannel;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A Discord webhook ({@code POST https://discord.com/api/webhooks/ID/TOKEN}): one embed coloured by
 * the event's tone, with the notice's fields, its link as the title's target and the failing output
 * as a code block.
 *
 * <p>The address gets {@code ?wait=true}: Discord then answers 200 only once the message is saved
 * (without it, 204 as soon as the request is queued), so "delivered" means posted. {@code
 * allowed_mentions} is empty: whatever a process printed, no {@code @everyone}, role or user is
 * pinged. Everything is cut to Discord's documented limits (title 256, description 4,096, 25
 * fields, field name 256 and value 1,024, footer 2,048, 6,000 for all of them together), at code
 * point boundaries.
 */
public final class DiscordFormat implements ChannelFormat {

  static final int TITLE = 256;
  static final int DESCRIPTION = 4_096;
  static final int FIELDS = 25;
  static final int FIELD_NAME = 256;
  static final int FIELD_VALUE = 1_024;
  static final int FOOTER = 2_048;
  static final int TOTAL = 6_000;

  /** Field names are labels ({@code intent}, {@code stack}): kept short to leave room. */
  private static final int NAME_CAP = 64;

  /** A value at most this long sits beside others (inline). */
  private static final int INLINE = 40;

  /** Room kept for the description when many fields compete for the total. */
  private static final int DESCRIPTION_RESERVE = 1_500;

  /** Discord's markdown: a backslash before any of these shows it as is. */
  private static final Pattern MARKDOWN = Pattern.compile("([\\\\*_~`|\\[\\]()<>#])");

  private final NotifyChannel channel;
  private final URI uri;

  public DiscordFormat(NotifyChannel channel) {
    this.channel = Objects.requireNonNull(channel, "channel");
    String address = channel.url().reveal();
    Texts.address(address, channel.name());
    this.uri =
        URI.create(
            address.matches(".*[?&]wait=.*")
                ? address
                : address + (address.contains("?") ? "&" : "?") + "wait=true");
  }

  @Override
  public HttpCall request(Notice notice, String deliveryId) {
    ObjectNode body = Texts.JSON.createObjectNode();
    body.putObject("allowed_mentions").putArray("parse");
    body.putArray("embeds").add(embed(notice));
    return new HttpCall(
        "POST", uri, List.of(Map.entry("Content-Type", "application/json")), body.toString());
  }

  private static ObjectNode embed(Notice notice) {
    ObjectNode embed = Texts.JSON.createObjectNode();
    String title = Texts.cut(Texts.line(notice.title()), TITLE);
    embed.put("title", title.isEmpty() ? notice.event().key() : title);
    embed.put("color", notice.event().tone().rgb());
    Optional<String> url = notice.link().filter(DiscordFormat::isWebAddress);
    url.ifPresent(link -> embed.put("url", link));

    List<String[]> all = new ArrayList<>();
    for (Notice.Field field : notice.fields()) {
      all.add(new String[] {Texts.line(field.name()), markdown(Texts.clean(field.value()))});
    }
    if (url.isEmpty()) {
      notice.link().ifPresent(link -> all.add(new String[] {"link", markdown(Texts.line(link))}));
    }
    int leftOut = Math.max(0, all.size() - FIELDS);
    List<String[]> fields = all.subList(0, Math.min(all.size(), FIELDS));
    String footer =
        Texts.cut(
            "ChatOps \u00b7 "
                + notice.event().key()
                + (leftOut == 0 ? "" : " \u00b7 " + leftOut + " more fields left out"),
            FOOTER);

    String text = markdown(Texts.clean(notice.text()));
    String code = notice.code().map(c -> Texts.defuseBackticks(Texts.clean(c))).orElse("");
    int room = TOTAL - embed.path("title").asString().length() - footer.length();
    int descriptionWants = Math.min(DESCRIPTION, text.length() + code.length() + 9);

    int[] names = new int[fields.size()];
    int[] values = new int[fields.size()];
    for (int i = 0; i < fields.size(); i++) {
      names[i] = Math.max(1, Math.min(NAME_CAP, fields.get(i)[0].length()));
      values[i] = Math.max(1, Math.min(FIELD_VALUE, fields.get(i)[1].length()));
    }
    int fieldRoom = room - Math.min(descriptionWants, DESCRIPTION_RESERVE) - sum(names);
    int[] valueShares = Texts.share(values, fieldRoom);
    ArrayNode fieldNodes = embed.putArray("fields");
    int used = 0;
    for (int i = 0; i < fields.size(); i++) {
      String name = Texts.cut(orDash(fields.get(i)[0]), Math.max(1, names[i]));
      String value = Texts.cut(orDash(fields.get(i)[1]), Math.max(1, valueShares[i]));
      fieldNodes
          .addObject()
          .put("name", name)
          .put("value", value)
          .put("inline", value.length() <= INLINE && !value.contains("\n"));
      used += name.length() + value.length();
    }
    if (fields.isEmpty()) {
      embed.remove("fields");
    }

    String description = description(text, code, Math.min(DESCRIPTION, room - used));
    if (!description.isEmpty()) {
      embed.put("description", description);
    }
    embed.putObject("footer").put("text", footer);
    embed.put("timestamp", notice.at().toString());
    return embed;
  }

  /** The text, then the code in a fenced block, both cut so that together they fit {@code max}. */
  private static String description(String text, String code, int max) {
    String open = text.isEmpty() ? "```\n" : "\n```\n";
    String close = "\n```";
    int fences = open.length() + close.length();
    if (code.isEmpty() || max - fences < 16) {
      return max < 1 || text.isEmpty() ? "" : Texts.cut(text, max);
    }
    int[] shares = Texts.share(new int[] {text.length(), code.length()}, max - fences);
    String cutText = shares[0] == 0 ? "" : Texts.cut(text, shares[0]);
    // The code takes what the text left; it ends the block, so cutting it cannot unbalance it.
    int codeRoom = max - fences - cutText.length();
    return cutText
        + (cutText.isEmpty() ? "```\n" : open)
        + Texts.cut(code, Math.max(1, codeRoom))
        + close;
  }

  @Override
  public Answer answer(int status, HttpHeaders headers, String body) {
    if (status >= 200 && status < 300) {
      return new Answer.Delivered(status);
    }
    Optional<JsonNode> json = Texts.object(body);
    String said =
        json.map(
                node ->
                    node.path("message").asString("")
                        + (node.path("code").isNumber()
                            ? " (" + node.path("code").asLong() + ")"
                            : ""))
            .map(text -> Texts.reason(text, channel.url(), channel.token()))
            .orElse("");
    String why = "discord answered " + status + (said.isBlank() ? "" : ": " + said.strip());
    if (status == 429) {
      Optional<Duration> after =
          json.map(node -> node.path("retry_after"))
              .filter(JsonNode::isNumber)
              .flatMap(node -> Texts.seconds(node.asString()))
              .or(() -> Texts.retryAfter(headers));
      return new Answer.Retry(why, after);
    }
    if (status >= 500 || status == 408) {
      return new Answer.Retry(why, Texts.retryAfter(headers));
    }
    return new Answer.Refused(why);
  }

  private static String markdown(String text) {
    return MARKDOWN.matcher(text).replaceAll("\\\\$1");
  }

  private static String orDash(String text) {
    return text.isEmpty() ? "-" : text;
  }

  private static int sum(int[] values) {
    int sum = 0;
    for (int value : values) {
      sum += value;
    }
    return sum;
  }

  private static boolean isWebAddress(String link) {
    if (link.length() > 2_000) {
      return false;
    }
    try {
      URI uri = new URI(link);
      return ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))
          && uri.getHost() != null;
    } catch (URISyntaxException e) {
      return false;
    }
  }

  /** Names the channel only: its address and token are secrets. */
  @Override
  public String toString() {
    return "DiscordFormat[" + channel.name() + "]";
  }
}
