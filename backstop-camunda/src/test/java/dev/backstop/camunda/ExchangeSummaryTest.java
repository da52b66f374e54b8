package dev.backstop.camunda;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What a component answered is summarised in messages, never echoed (a URL may point anywhere). */
class ExchangeSummaryTest {

  @Test
  void shouldKeepTheErrorTextOfAComponentsJsonError() {
    assertThat(answer("{\"error\":{\"type\":\"snapshot_missing_exception\",\"reason\":\"[repo:snap] is missing\"},\"status\":404}").summary())
        .isEqualTo("[repo:snap] is missing");
    assertThat(answer("{\"message\":\"Backup with id 7 does not exist\"}").summary()).isEqualTo("Backup with id 7 does not exist");
  }

  @Test
  void shouldNeverEchoAnAnswerThatIsNotAComponentError() {
    String secretPage = "<html><body>internal admin console: token=abc123</body></html>";
    assertThat(answer(secretPage).summary()).isEqualTo("a non-JSON answer of " + secretPage.length() + " characters").doesNotContain("abc123");
    assertThat(answer("{\"credentials\":{\"key\":\"AKIA…\"}}").summary()).startsWith("a JSON answer of").doesNotContain("AKIA");
    assertThat(answer("[1,2,3]").summary()).isEqualTo("a JSON answer of 7 characters");
    assertThat(answer("").summary()).isEqualTo("an empty answer");
  }

  @Test
  void shouldCutALongErrorTextAndFlattenItsLines() {
    String summary = answer("{\"message\":\"" + "x".repeat(500) + "\\nsecond line\"}").summary();
    assertThat(summary).hasSize(JsonHttp.SUMMARY_LIMIT + 1).endsWith("…").doesNotContain("\n");
  }

  private static JsonHttp.Exchange answer(String body) {
    return new JsonHttp.Exchange(500, body, Optional.empty());
  }
}
