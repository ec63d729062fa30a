package dev.chatops.policy;

import java.util.Locale;

/** Reads one authentication header each; {@link Credentials#from} combines them. */
final class CredentialsParser {

  private static final String BEARER = "bearer";

  private CredentialsParser() {}

  static Credentials bearer(String value) {
    String trimmed = HttpText.trimOws(value);
    if (trimmed.isEmpty()) {
      return new Credentials.Malformed(Credentials.Defect.EMPTY);
    }
    int space = trimmed.indexOf(' ');
    String scheme = space < 0 ? trimmed : trimmed.substring(0, space);
    if (!scheme.toLowerCase(Locale.ROOT).equals(BEARER)) {
      return new Credentials.Malformed(Credentials.Defect.NOT_BEARER);
    }
    if (space < 0) {
      return new Credentials.Malformed(Credentials.Defect.NOT_ONE_TOKEN);
    }
    int start = space;
    while (start < trimmed.length() && trimmed.charAt(start) == ' ') {
      start++;
    }
    String token = trimmed.substring(start);
    for (int i = 0; i < token.length(); i++) {
      if (token.charAt(i) == ' ' || token.charAt(i) == '\t') {
        return new Credentials.Malformed(Credentials.Defect.NOT_ONE_TOKEN);
      }
    }
    if (!isB64Token(token)) {
      return new Credentials.Malformed(Credentials.Defect.BAD_CHARACTERS);
    }
    return new Credentials.Presented(token, Credentials.Header.AUTHORIZATION);
  }

  static Credentials apiKey(String value) {
    String token = HttpText.trimOws(value);
    if (token.isEmpty()) {
      return new Credentials.Malformed(Credentials.Defect.EMPTY);
    }
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        return new Credentials.Malformed(Credentials.Defect.BAD_CHARACTERS);
      }
    }
    return new Credentials.Presented(token, Credentials.Header.X_API_KEY);
  }

  /** RFC 6750: {@code 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="}. */
  private static boolean isB64Token(String token) {
    int i = 0;
    while (i < token.length() && isB64Char(token.charAt(i))) {
      i++;
    }
    if (i == 0) {
      return false;
    }
    while (i < token.length() && token.charAt(i) == '=') {
      i++;
    }
    return i == token.length();
  }

  private static boolean isB64Char(char c) {
    return (c >= 'A' && c <= 'Z')
        || (c >= 'a' && c <= 'z')
        || (c >= '0' && c <= '9')
        || c == '-'
        || c == '.'
        || c == '_'
        || c == '~'
        || c == '+'
        || c == '/';
  }
}
