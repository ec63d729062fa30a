package dev.chatops.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chatops.policy.Credentials.Defect;
import dev.chatops.policy.Credentials.Header;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CredentialsTest {

  private static final String KEY = "chk_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8";

  @ParameterizedTest(name = "Authorization: [{0}]  X-API-Key: [{1}]")
  @CsvSource(
      delimiter = '|',
      nullValues = "ABSENT",
      value = {
        "Bearer KEY            | ABSENT  | AUTHORIZATION | KEY",
        "bearer KEY            | ABSENT  | AUTHORIZATION | KEY",
        "BEARER KEY            | ABSENT  | AUTHORIZATION | KEY",
        "'Bearer   KEY'        | ABSENT  | AUTHORIZATION | KEY",
        "'  Bearer KEY \t'     | ABSENT  | AUTHORIZATION | KEY",
        "ABSENT                | KEY     | X_API_KEY     | KEY",
        "ABSENT                | ' KEY ' | X_API_KEY     | KEY",
        "Bearer KEY            | KEY     | AUTHORIZATION | KEY",
        "Bearer abc.DEF~+/_-== | ABSENT  | AUTHORIZATION | abc.DEF~+/_-==",
        "ABSENT                | a\"b:c  | X_API_KEY     | a\"b:c"
      })
  void aKeyIsReadFromEitherHeader(
      String authorization, String apiKey, Header header, String expected) {
    assertThat(Credentials.from(key(authorization), key(apiKey)))
        .isEqualTo(new Credentials.Presented(key(expected), header));
  }

  @ParameterizedTest(name = "Authorization: [{0}]  X-API-Key: [{1}] -> {2}")
  @CsvSource(
      delimiter = '|',
      nullValues = "ABSENT",
      value = {
        "''                 | ABSENT      | EMPTY",
        "'   '              | ABSENT      | EMPTY",
        "ABSENT             | ''          | EMPTY",
        "Basic dXNlcjpwYXNz | ABSENT      | NOT_BEARER",
        "Token KEY          | ABSENT      | NOT_BEARER",
        "BearerKEY          | ABSENT      | NOT_BEARER",
        "'Bearer\tKEY'      | ABSENT      | NOT_BEARER",
        "KEY                | ABSENT      | NOT_BEARER",
        "Bearer             | ABSENT      | NOT_ONE_TOKEN",
        "'Bearer '          | ABSENT      | NOT_ONE_TOKEN",
        "Bearer KEY KEY     | ABSENT      | NOT_ONE_TOKEN",
        "'Bearer KEY\tx'    | ABSENT      | NOT_ONE_TOKEN",
        "Bearer KEY,x       | ABSENT      | BAD_CHARACTERS",
        "Bearer =KEY        | ABSENT      | BAD_CHARACTERS",
        "Bearer KEY=x       | ABSENT      | BAD_CHARACTERS",
        "Bearer KEY;        | ABSENT      | BAD_CHARACTERS",
        "Bearer KEYé        | ABSENT      | BAD_CHARACTERS",
        "ABSENT             | 'KEY KEY'   | BAD_CHARACTERS",
        "ABSENT             | 'KEY\u0000' | BAD_CHARACTERS",
        "ABSENT             | KEYé        | BAD_CHARACTERS",
        "Basic x            | KEY         | NOT_BEARER",
        "Bearer KEY         | ''          | EMPTY"
      })
  void malformedHeadersAreRefusedWithTheirDefect(
      String authorization, String apiKey, Defect defect) {
    assertThat(Credentials.from(key(authorization), key(apiKey)))
        .isEqualTo(new Credentials.Malformed(defect));
  }

  @Test
  void noHeaderMeansMissing() {
    assertThat(Credentials.from(null, null)).isEqualTo(new Credentials.Missing());
    assertThat(Credentials.fromHeaders(List.of(), List.of())).isEqualTo(new Credentials.Missing());
  }

  @Test
  void twoDifferentKeysConflict() {
    String other = KEY.replace('A', 'B');

    assertThat(Credentials.from("Bearer " + KEY, other)).isEqualTo(new Credentials.Conflicting());
  }

  @Test
  void aHeaderGivenTwiceIsMalformedEvenWithTheSameKey() {
    assertThat(Credentials.fromHeaders(List.of("Bearer " + KEY, "Bearer " + KEY), List.of()))
        .isEqualTo(new Credentials.Malformed(Defect.REPEATED));
    assertThat(Credentials.fromHeaders(List.of(), List.of(KEY, KEY)))
        .isEqualTo(new Credentials.Malformed(Defect.REPEATED));
    assertThat(Credentials.fromHeaders(List.of("Bearer " + KEY), List.of()))
        .isEqualTo(new Credentials.Presented(KEY, Header.AUTHORIZATION));
  }

  @Test
  void aSecondLineIsRefusedWhateverTheFirstHolds() {
    assertThat(Credentials.fromHeaders(List.of("Bearer " + KEY, "Basic dXNlcjpwYXNz"), List.of()))
        .isEqualTo(new Credentials.Malformed(Defect.REPEATED));
    assertThat(Credentials.fromHeaders(List.of(), List.of(KEY, "junk")))
        .isEqualTo(new Credentials.Malformed(Defect.REPEATED));
    assertThat(Credentials.fromHeaders(List.of("Bearer " + KEY, "Bearer " + KEY), List.of(KEY)))
        .isEqualTo(new Credentials.Malformed(Defect.REPEATED));
    assertThat(Credentials.fromHeaders(List.of("Bearer " + KEY), List.of(KEY)))
        .isEqualTo(new Credentials.Presented(KEY, Header.AUTHORIZATION));
  }

  @Test
  void aPresentedKeyIsNeverShownInText() {
    Credentials credentials = Credentials.from("Bearer " + KEY, null);

    assertThat(credentials.toString()).doesNotContain(KEY).doesNotContain("chk_");
    for (Defect defect : Defect.values()) {
      assertThat(defect.message()).doesNotContain("chk_");
    }
  }

  private static String key(String header) {
    return header == null ? null : header.replace("KEY", KEY);
  }
}
