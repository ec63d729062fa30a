package dev.chatops.intent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chatops.intent.Param.BooleanParam;
import dev.chatops.intent.Param.IntegerParam;
import dev.chatops.intent.Param.StringParam;
import dev.chatops.testing.Samples;
import dev.chatops.yaml.Position;
import dev.chatops.yaml.YamlMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class ParamBinderTest {

  private static final Intent INTENT =
      intent(
          new IntegerParam("replicas", Optional.empty(), 0, 4, Optional.of(2L)),
          new StringParam(
              "service",
              Optional.empty(),
              Optional.of(Pattern.compile("^[a-z][a-z0-9-]*$")),
              List.of(),
              32,
              Optional.empty()),
          new StringParam(
              "tier",
              Optional.empty(),
              Optional.empty(),
              List.of("gold", "silver"),
              128,
              Optional.of("gold")),
          new BooleanParam("pull", Optional.empty(), Optional.of(false)));

  @Test
  void fillsDefaultsAndConvertsTypes() {
    ParamBinder.Result result =
        ParamBinder.bind(INTENT, Map.of("service", "web", "replicas", "3", "pull", "true"));

    assertThat(result).isInstanceOf(ParamBinder.Bound.class);
    assertThat(((ParamBinder.Bound) result).bindings().values())
        .containsExactly(
            Map.entry("replicas", 3L),
            Map.entry("service", "web"),
            Map.entry("tier", "gold"),
            Map.entry("pull", true));
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      textBlock =
          """
          replicas | 5          | must be between 0 and 4 (got 5)
          replicas | -1         | must be between 0 and 4 (got -1)
          replicas | three      | must be an integer (got 'three')
          replicas | 99999999999999999999 | must be an integer (got '99999999999999999999')
          replicas | 2.5        | must be an integer (got '2.5')
          service  | --force    | must not start with '-' (it could be read as a command-line option): '--force'
          service  | -d         | must not start with '-' (it could be read as a command-line option): '-d'
          service  | Web        | 'Web' does not match the pattern ^[a-z][a-z0-9-]*$
          service  | web;rm -rf | 'web;rm -rf' does not match the pattern ^[a-z][a-z0-9-]*$
          tier     | bronze     | must be one of gold, silver (got 'bronze')
          pull     | yes        | must be true or false (got 'yes')
          """)
  void refusesValuesOutsideTheirDeclaration(String param, String value, String message) {
    Map<String, String> given = new LinkedHashMap<>();
    given.put("service", "web");
    given.put(param, value);

    assertThat(ParamBinder.bind(INTENT, given))
        .isEqualTo(new ParamBinder.Invalid(List.of(new ParamBinder.ParamError(param, message))));
  }

  @Test
  void reportsEveryRefusedParameterAtOnce() {
    ParamBinder.Result result =
        ParamBinder.bind(INTENT, Map.of("replicas", "9", "colour", "blue", "pull", "maybe"));

    assertThat(result)
        .isEqualTo(
            new ParamBinder.Invalid(
                List.of(
                    new ParamBinder.ParamError(
                        "colour",
                        "unknown parameter; intent demo takes replicas, service, tier, pull"),
                    new ParamBinder.ParamError("replicas", "must be between 0 and 4 (got 9)"),
                    new ParamBinder.ParamError("service", "is required (it has no default)"),
                    new ParamBinder.ParamError("pull", "must be true or false (got 'maybe')"))));
  }

  @Test
  void masksControlCharactersAndCutsLongValuesInMessages() {
    ParamBinder.Result result =
        ParamBinder.bind(INTENT, Map.of("service", "web\nInjected: " + "x".repeat(100)));

    assertThat(result.toString()).doesNotContain("\n").doesNotContain("x".repeat(50));
  }

  @Test
  void refusesAHugeValueBeforeMatchingAnyPattern() {
    ParamBinder.Result result = ParamBinder.bind(INTENT, Map.of("service", "a".repeat(10_000)));

    assertThat(result)
        .isEqualTo(
            new ParamBinder.Invalid(
                List.of(
                    new ParamBinder.ParamError(
                        "service",
                        "value is longer than " + ParamBinder.MAX_RAW_LENGTH + " characters"))));
  }

  static Stream<Arguments> tails() {
    return Samples.of(
        1000,
        45,
        random ->
            new Object[] {Samples.string(random, "abcXYZ019 -_./=:;'\"$`\\\t\n\u00e9\u2028", 40)});
  }

  static Stream<Arguments> integers() {
    return Samples.of(200, 20, random -> new Object[] {(long) random.nextInt(41) - 20});
  }

  @ParameterizedTest
  @MethodSource("tails")
  void noValueStartingWithADashIsEverAccepted(String tail) {
    StringParam anything =
        new StringParam(
            "v",
            Optional.empty(),
            Optional.of(Pattern.compile("(?s).*")),
            List.of(),
            64,
            Optional.empty());
    Intent intent = intent(anything);

    assertThat(ParamBinder.bind(intent, Map.of("v", "-" + tail)))
        .isInstanceOf(ParamBinder.Invalid.class);
  }

  @ParameterizedTest
  @MethodSource("integers")
  void integersAreAcceptedExactlyWithinTheirBounds(long value) {
    Intent intent = intent(new IntegerParam("n", Optional.empty(), -5, 7, Optional.empty()));

    ParamBinder.Result result = ParamBinder.bind(intent, Map.of("n", Long.toString(value)));

    if (value >= -5 && value <= 7) {
      assertThat(result).isInstanceOf(ParamBinder.Bound.class);
      assertThat(((ParamBinder.Bound) result).bindings().values()).containsEntry("n", value);
    } else {
      assertThat(result).isInstanceOf(ParamBinder.Invalid.class);
    }
  }

  private static Intent intent(Param... params) {
    Map<String, Param> byName = new LinkedHashMap<>();
    for (Param param : params) {
      byName.put(param.name(), param);
    }
    return new Intent(
        "demo",
        Optional.empty(),
        Intent.DEFAULT_HOST,
        new Action.Restart(new Action.Stack("s", Optional.empty()), Optional.empty()),
        byName,
        Intent.Requirements.NONE,
        Optional.empty(),
        new Origin("test", new YamlMap(new Position(1, 1), Map.of())));
  }
}
