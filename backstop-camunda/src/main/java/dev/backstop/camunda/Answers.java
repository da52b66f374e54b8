package dev.backstop.camunda;

import dev.backstop.core.procedure.Observation;
import dev.backstop.core.procedure.Outcome;

/** How the adapters read HTTP answers that carry no component-specific meaning. */
final class Answers {

  private Answers() {}

  /**
   * Gateway errors, unavailability, timeouts and no answer at all are transient: the component (or
   * what it depends on) may come back. Other errors are the component's refusal.
   */
  static boolean isTransient(JsonHttp.Exchange exchange) {
    return !exchange.answered() || exchange.status() == 502 || exchange.status() == 503 || exchange.status() == 504;
  }

  static <T> Outcome<T> failure(JsonHttp.Exchange exchange) {
    if (isTransient(exchange)) {
      return new Outcome.Unreachable<>(noAnswer(exchange));
    }
    return new Outcome.Refused<>(exchange.status(), exchange.summary());
  }

  static Observation unreachable(JsonHttp.Exchange exchange) {
    return new Observation.Unreachable(noAnswer(exchange));
  }

  /**
   * A status poll that did not answer 2xx (nor 404, which each adapter reads itself): a server
   * error or no answer may pass, so it counts against the unreachable tolerance; a 4xx refusal
   * will not, so the wait fails.
   */
  static Observation observationOf(JsonHttp.Exchange exchange) {
    return isTransient(exchange) || exchange.status() >= 500
        ? unreachable(exchange)
        : new Observation.Failed("HTTP " + exchange.status() + ": " + exchange.summary());
  }

  static String noAnswer(JsonHttp.Exchange exchange) {
    return exchange.answered() ? "HTTP " + exchange.status() + " " + exchange.summary() : exchange.failure().orElse("no answer");
  }
}
