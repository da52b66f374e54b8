package dev.backstop.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstop.server.metrics.Scrape;
import dev.backstop.server.support.Api;
import dev.backstop.server.support.StandaloneBackstopTest;
import org.junit.jupiter.api.Test;

/**
 * What each request costs in observations: the HTTP server's timer per endpoint stays, Spring
 * Security's observations of every filter, authentication and authorization are off (found with
 * bench/api-load.sh: off, a read request costs 5 to 10% less CPU).
 */
class RequestObservationTest extends StandaloneBackstopTest {

  @Test
  void shouldTimeRequestsWithoutObservingEveryFilterOfSpringSecurity() {
    // given: authenticated requests answered
    Api.Answer listed = operator.get("/clusters");
    assertThat(listed.status()).as(listed.toString()).isEqualTo(200);

    // when
    Api.Answer scraped = operator.get("/actuator/prometheus");

    // then: the requests are timed by endpoint, and Spring Security observed nothing
    assertThat(scraped.status()).as(scraped.toString()).isEqualTo(200);
    Scrape scrape = new Scrape(scraped.body());
    assertThat(scrape.families()).contains("http_server_requests_seconds");
    assertThat(scraped.body()).contains("uri=\"/clusters\"");
    assertThat(scrape.families()).noneMatch(family -> family.startsWith("spring_security"));
  }
}
