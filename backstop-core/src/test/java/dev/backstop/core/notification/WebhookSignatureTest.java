package dev.backstop.core.notification;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {

  private static final String BODY = "{\"id\":\"3f1c\",\"type\":\"backup.failed\"}";
  private static final Instant AT = Instant.ofEpochSecond(1_700_000_000L);

  @Test
  void shouldComputeHmacSha256AsRfc4231Does() {
    // RFC 4231, test case 2
    assertThat(WebhookSignature.hmacHex("Jefe", "what do ya want for nothing?"))
        .isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  }

  @Test
  void shouldSignTheTimestampDotBodyWithTheSecretsUtf8Bytes() {
    // given: the vector computed independently, e.g.
    //   printf '%s' '1700000000.{"id":"3f1c","type":"backup.failed"}' | openssl dgst -sha256 -hmac 'whsec_test-secret'
    String expected = "t=1700000000,v1=fef5f449dadfc128acccae8059964dedc67edccf3ebb667f3357fe2b518e220a";

    // when / then
    assertThat(WebhookSignature.header("whsec_test-secret", AT, BODY)).isEqualTo(expected);
  }

  @Test
  void shouldIgnoreFractionsOfTheSecondInTheTimestamp() {
    assertThat(WebhookSignature.header("whsec_test-secret", AT.plusMillis(999), BODY)).startsWith("t=1700000000,");
  }

  @Test
  void shouldVerifyTheRightSecretAndBodyWithinTheTolerance() {
    String header = WebhookSignature.header("whsec_test-secret", AT, BODY);

    assertThat(WebhookSignature.verify(header, "whsec_test-secret", BODY, AT.plusSeconds(299), Duration.ofMinutes(5))).isTrue();
  }

  @Test
  void shouldNotVerifyAWrongSecretAChangedBodyOrAnOldTimestamp() {
    String header = WebhookSignature.header("whsec_test-secret", AT, BODY);

    assertThat(WebhookSignature.verify(header, "whsec_other-secret", BODY, AT, Duration.ofMinutes(5))).isFalse();
    assertThat(WebhookSignature.verify(header, "whsec_test-secret", BODY.replace("failed", "completed"), AT, Duration.ofMinutes(5))).isFalse();
    assertThat(WebhookSignature.verify(header, "whsec_test-secret", BODY, AT.plusSeconds(301), Duration.ofMinutes(5))).isFalse();
    // a signature moved to another time does not verify either
    String moved = header.replace("t=1700000000", "t=1700000100");
    assertThat(WebhookSignature.verify(moved, "whsec_test-secret", BODY, AT.plusSeconds(100), Duration.ofMinutes(5))).isFalse();
  }

  @Test
  void shouldNotVerifyAMalformedHeader() {
    assertThat(WebhookSignature.verify(null, "s", BODY, AT, Duration.ofMinutes(5))).isFalse();
    assertThat(WebhookSignature.verify("v1=abc", "s", BODY, AT, Duration.ofMinutes(5))).isFalse();
    assertThat(WebhookSignature.verify("t=x,v1=abc", "s", BODY, AT, Duration.ofMinutes(5))).isFalse();
    assertThat(WebhookSignature.verify("t=1700000000", "s", BODY, AT, Duration.ofMinutes(5))).isFalse();
  }
}
