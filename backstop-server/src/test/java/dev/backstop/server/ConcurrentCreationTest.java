package dev.backstop.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstop.server.support.Api;
import dev.backstop.server.support.FakeComponents;
import dev.backstop.server.support.StandaloneBackstopTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Names are unique; creating the same name at the same moment gives one 201 and 409s naming {@code name}, never a 500. */
class ConcurrentCreationTest extends StandaloneBackstopTest {

  private static final int REQUESTS = 10;

  @Test
  void shouldCreateOneOfTenOrganizationsOfTheSameNameCreatedAtOnce() throws Exception {
    // given
    String name = "simultaneous-" + UUID.randomUUID();

    // when
    List<Api.Answer> answers = atOnce(() -> operator.postJson("/admin/organizations", Map.of("name", name, "plan", "ENTERPRISE")));

    // then
    assertOneCreatedAndTheRestConflicts(answers);
    assertThat(operator.get("/admin/organizations").json().findValuesAsText("name").stream().filter(name::equals)).hasSize(1);
  }

  @Test
  void shouldRegisterOneOfTenClustersOfTheSameNameRegisteredAtOnce() throws Exception {
    // given: components that take a moment to answer the preflight, as real ones do
    String organizationId = newOrganization();
    try (FakeComponents components = new FakeComponents(Duration.ofMillis(200))) {
      Map<String, Object> body = registration(organizationId, "simultaneous", components.url());

      // when
      List<Api.Answer> answers = atOnce(() -> operator.postJson("/clusters", body));

      // then
      assertOneCreatedAndTheRestConflicts(answers);
    }
    assertThat(operator.get("/clusters").json().findValuesAsText("name").stream().filter("simultaneous"::equals)).hasSize(1);
  }

  private static void assertOneCreatedAndTheRestConflicts(List<Api.Answer> answers) {
    assertThat(answers.stream().map(Api.Answer::status)).as(answers.toString()).containsOnly(201, 409);
    assertThat(answers.stream().filter(a -> a.status() == 201)).as(answers.toString()).hasSize(1);
    for (Api.Answer conflict : answers.stream().filter(a -> a.status() == 409).toList()) {
      assertThat(conflict.contentType()).startsWith("application/problem+json");
      assertThat(conflict.json().path("status").asInt()).isEqualTo(409);
      assertThat(conflict.json().path("errors").findValuesAsText("field")).containsExactly("name");
    }
  }

  /** Sends {@value #REQUESTS} requests released together by a latch. */
  private static List<Api.Answer> atOnce(Callable<Api.Answer> request) throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Api.Answer>> futures = new ArrayList<>();
    try (ExecutorService threads = Executors.newFixedThreadPool(REQUESTS)) {
      for (int i = 0; i < REQUESTS; i++) {
        futures.add(
            threads.submit(
                () -> {
                  start.await();
                  return request.call();
                }));
      }
      start.countDown();
    }
    List<Api.Answer> answers = new ArrayList<>();
    for (Future<Api.Answer> future : futures) {
      answers.add(future.get());
    }
    return answers;
  }
}
