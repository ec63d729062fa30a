package dev.chatops.notify;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Masks what a request carried (its address and the parts of it, header values) in texts about its
 * answer. Formats promise verdicts without secrets and services do not echo tokens; this is the
 * second lock on that door, since those texts are stored, logged and printed.
 */
final class Masking {

  /** Shorter parts are too common to mask (and too short to be a token). */
  private static final int SHORTEST = 12;

  private static final String MASK = "***";

  private Masking() {}

  static Answer mask(Answer answer, HttpCall call) {
    return switch (answer) {
      case Answer.Delivered delivered -> delivered;
      case Answer.Retry retry -> new Answer.Retry(mask(retry.why(), call), retry.after());
      case Answer.Refused refused -> new Answer.Refused(mask(refused.why(), call));
    };
  }

  static String mask(String text, HttpCall call) {
    List<String> secrets = new ArrayList<>();
    secrets.add(call.uri().toString());
    add(secrets, call.uri().getRawUserInfo());
    add(secrets, call.uri().getRawPath());
    add(secrets, call.uri().getRawQuery());
    if (call.uri().getRawPath() != null) {
      for (String segment : call.uri().getRawPath().split("/", -1)) {
        add(secrets, segment);
      }
    }
    if (call.uri().getRawQuery() != null) {
      for (String pair : call.uri().getRawQuery().split("&", -1)) {
        add(secrets, pair.substring(pair.indexOf('=') + 1));
      }
    }
    for (Map.Entry<String, String> header : call.headers()) {
      if (header.getKey().equalsIgnoreCase("Content-Type")
          || header.getKey().equalsIgnoreCase("Accept")) {
        continue; // "application/json" is no secret, and errors name it
      }
      add(secrets, header.getValue());
      // "Bearer TOKEN": the token alone may be quoted back.
      add(secrets, header.getValue().substring(header.getValue().lastIndexOf(' ') + 1));
    }
    // Longest first, so that a part never leaves pieces of a longer secret showing.
    secrets.sort(Comparator.comparingInt(String::length).reversed());
    String masked = text;
    for (String secret : secrets) {
      masked = masked.replace(secret, MASK);
    }
    return masked;
  }

  private static void add(List<String> secrets, String part) {
    if (part != null && part.length() >= SHORTEST) {
      secrets.add(part);
    }
  }
}
