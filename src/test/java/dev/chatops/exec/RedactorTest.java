package dev.chatops.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RedactorTest {

  private final Redactor redactor = new Redactor(List.of("s3cr3t-value"));

  /** Real-looking lines that carry a secret, and what is left of each once redacted. */
  static Stream<Arguments> secrets() {
    return Stream.of(
        // K=V, as env files, `env`, `docker inspect` and shells print them
        pair("DB_PASS=hunter2", "DB_PASS=***"),
        pair("POSTGRES_PASSWORD=correct-horse-battery", "POSTGRES_PASSWORD=***"),
        pair(
            "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            "AWS_SECRET_ACCESS_KEY=***"),
        pair("PRIVATE_KEY=MIIEvQIBADANBgkqhkiG9w0BAQEFAASC", "PRIVATE_KEY=***"),
        pair("export GITHUB_TOKEN=abc123def456", "export GITHUB_TOKEN=***"),
        pair("SMTP_CREDENTIALS=user:pass@mail", "SMTP_CREDENTIALS=***"),
        pair("REDIS_PASSWD = 'quoted secret'", "REDIS_PASSWD = '***'"),
        pair("MYSQL_ROOT_PASSWORD=\"with spaces inside\"", "MYSQL_ROOT_PASSWORD=\"***\""),
        pair("gpg --passphrase=opensesame --batch", "gpg --passphrase=*** --batch"),
        pair("password=hunter2 user=bob", "password=*** user=bob"),
        pair("token=abc123", "token=***"),
        pair(
            "curl https://api.example/v1?access_token=q1w2e3&page=2",
            "curl https://api.example/v1?access_token=***&page=2"),
        pair("api-key=0123456789abcdef", "api-key=***"),
        pair("  - \"DB_PASSWORD=s00persecret\"", "  - \"DB_PASSWORD=***\""), // docker inspect Env
        // K: V, as YAML and HTTP headers write them
        pair("password: hunter2", "password: ***"),
        pair("  client_secret: \"a b c\"", "  client_secret: \"***\""),
        pair("X-API-Key: chk_notreallyakey", "X-API-Key: ***"),
        pair("secret_key: 7c4a8d09ca3762af61e59520943dc26494f8941b", "secret_key: ***"),
        // JSON
        pair("{\"password\": \"hunter2\"}", "{\"password\": \"***\"}"),
        pair(
            "{\"user\":\"bob\",\"apiKey\":\"k-123\",\"n\":1}",
            "{\"user\":\"bob\",\"apiKey\":\"***\",\"n\":1}"),
        pair("{\"refresh_token\": \"a\\\"b\"}", "{\"refresh_token\": \"***\"}"),
        pair("{\"db_pass\": 12345678}", "{\"db_pass\": ***}"),
        pair("{\"clientSecret\":\"zzz\"}", "{\"clientSecret\":\"***\"}"),
        // Authorization headers
        pair("Authorization: Bearer eyJhbGciOi.abc.def", "Authorization: Bearer ***"),
        pair("authorization: Basic Ym9iOmh1bnRlcjI=", "authorization: Basic ***"),
        pair("{\"Authorization\": \"token ghx-abc\"}", "{\"Authorization\": \"token ***\"}"),
        // URLs with a password
        pair(
            "pulling from https://bob:hunter2@registry.example/v2/",
            "pulling from https://bob:***@registry.example/v2/"),
        pair(
            "postgresql://chatops:pw-42@db:5432/chatops",
            "postgresql://chatops:***@db:5432/chatops"),
        // tokens with a published shape, wherever they stand
        pair("using ghp_0123456789abcdefghijABCDEFGHIJ012345 to clone", "using *** to clone"),
        pair("github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwx done", "*** done"),
        pair("slack xoxb-1234567890-0987654321-AbCdEfGhIjKl", "slack ***"),
        pair("key id AKIAIOSFODNN7EXAMPLE in use", "key id *** in use"),
        pair(
            "jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
            "jwt ***"),
        pair(
            "chatops key chk_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8 created",
            "chatops key *** created"),
        pair(
            "POST https://discord.com/api/webhooks/123456789012345678/AbC-dEf_123 failed",
            "POST https://discord.com/api/webhooks/123456789012345678/*** failed"),
        pair(
            "hook https://hooks.slack.com/services/T000/B000/XXXXXXXX",
            "hook https://hooks.slack.com/services/***"),
        // a configured secret, anywhere
        pair("the key is s3cr3t-value, keep it", "the key is ***, keep it"),
        // a PEM block within one text
        pair(
            "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\nq0ZLZz==\n-----END RSA PRIVATE KEY-----\nnext",
            "-----BEGIN RSA PRIVATE KEY-----***-----END RSA PRIVATE KEY-----\nnext"),
        pair(
            "key: -----BEGIN OPENSSH PRIVATE KEY----- b3BlbnNzaC1rZXktdjEAAAA",
            "key: -----BEGIN OPENSSH PRIVATE KEY-----***"));
  }

  private static Arguments pair(String line, String redacted) {
    return Arguments.of(line, redacted);
  }

  @ParameterizedTest
  @MethodSource("secrets")
  void masksTheSecretAndKeepsTheRest(String line, String redacted) {
    assertThat(redactor.redact(line)).isEqualTo(redacted);
  }

  /** Ordinary Compose and Docker output, which must come through unchanged. */
  static Stream<String> ordinaryOutput() {
    return Stream.of(
        "Creating network \"stack-ai_default\" with the default driver",
        "Creating stack-ai_ollama_1 ... done",
        "Recreating stack-media_plex_1 ... done",
        " Container stack-ai-ollama-1  Started",
        " Container stack-ai-ollama-1  Healthy",
        "Pulling plex (plexinc/pms-docker:1.40.0)...",
        "Digest: sha256:4f2a1c9d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a1f",
        "Status: Downloaded newer image for ghcr.io/org/token-service:1.2.3",
        "myorg/token:1.2 is up to date",
        "4f2a1c9d8e7b   local/web:1   \"httpd -f -p 8080\"   Up 3 seconds (healthy)",
        "{\"ID\":\"4f2a1c9d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a1f\",\"State\":\"running\"}",
        "com.docker.compose.config-hash=9c0b2a7e1f35d6c8a4b2e0f1d3c5a7b9e2f4d6c8a0b1c3e5f7a9b2d4f6e8a0c1",
        "com.docker.compose.project=stack-ai,com.docker.compose.service=ollama",
        "COMPOSE_PROJECT_NAME=stack-ai",
        "BYPASS=1",
        "monkey=banana",
        "PWD=/opt/stacks/stack-ai",
        "WARN[0000] The \"DB_PASSWORD\" variable is not set. Defaulting to a blank string.",
        "Error response from daemon: No such container: 8d3f6a0c1b2e",
        "time=\"2026-11-29T10:00:00Z\" level=info msg=\"Container started\"",
        "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        "-----BEGIN PUBLIC KEY-----",
        "network stack-ai_default  Created");
  }

  @ParameterizedTest
  @MethodSource("ordinaryOutput")
  void leavesOrdinaryComposeOutputAlone(String line) {
    assertThat(redactor.redact(line)).isEqualTo(line);
  }

  @Test
  void masksEveryLineOfAPrivateKeyBlockThatSpansLines() {
    Redactor.Lines lines = redactor.lines();

    assertThat(
            Stream.of(
                    "writing key",
                    "-----BEGIN EC PRIVATE KEY-----",
                    "MHcCAQEEIBkg4LVWM9nuwNSk3yByxZpYRTBnVJk5oa1H",
                    "oAoGCCqGSM49AwEHoUQDQgAE8xOUetsCa8EfOlDEBAfREhJqsp==",
                    "-----END EC PRIVATE KEY----- trailing password=x",
                    "done")
                .map(lines::redact)
                .toList())
        .containsExactly(
            "writing key",
            "-----BEGIN EC PRIVATE KEY-----***",
            "***",
            "***",
            "***-----END EC PRIVATE KEY----- trailing password=***",
            "done");
  }

  @Test
  void aBlockThatBeginsAndEndsOnOneLineLeavesTheNextLinesAlone() {
    Redactor.Lines lines = redactor.lines();

    assertThat(lines.redact("-----BEGIN PRIVATE KEY-----abc-----END PRIVATE KEY-----"))
        .isEqualTo("-----BEGIN PRIVATE KEY-----***-----END PRIVATE KEY-----");
    assertThat(lines.redact("ordinary")).isEqualTo("ordinary");
  }

  @Test
  void ignoresConfiguredSecretsTooShortToMatchSafely() {
    assertThat(new Redactor(List.of("ab", "")).redact("ab cab")).isEqualTo("ab cab");
  }

  @Test
  void staysLinearOnLongLinesOfNameCharacters() {
    String line = "a_".repeat(40_000) + "=x " + "k".repeat(60_000) + ":";

    assertThat(redactor.redact(line)).endsWith(":");
  }
}
