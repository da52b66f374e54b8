package dev.backstop.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backstop.server.support.Api;
import dev.backstop.server.support.BackstopIT;
import dev.backstop.server.support.ComponentProbe;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * One cluster, one backup at a time: a hundred backup requests arriving at the same moment (on
 * virtual threads, released together by a latch) start exactly one backup, on Backstop and on
 * Zeebe; every other request is answered 409 or 429 with a problem, never a 500.
 */
class SimultaneousBackupRequestsTest extends BackstopIT {

  private static final int REQUESTS = 100;

  @Test
  void shouldAcceptExactlyOneOfAHundredBackupRequestsSentAtOnce() throws Exception {
    // given: a cluster with no backup, no rate limit (BackstopIT), and what Zeebe holds now
    ComponentProbe probe = new ComponentProbe(testbed);
    Set<Long> zeebeBefore = probe.backupIds(testbed.zeebe());

    // when: a hundred requests are sent at once
    List<Api.Answer> answers = atOnce();

    // then: one is accepted, the others refused with a problem
    List<Api.Answer> accepted = answers.stream().filter(answer -> answer.status() == 202).toList();
    assertThat(accepted).as(answers.toString()).hasSize(1);
    long backupId = accepted.getFirst().json().path("backupId").asLong();
    for (Api.Answer refused : answers.stream().filter(answer -> answer.status() != 202).toList()) {
      assertThat(refused.status()).as(refused.toString()).isIn(409, 429);
      assertThat(refused.contentType()).as(refused.toString()).startsWith("application/problem+json");
      assertThat(refused.json().path("status").asInt()).as(refused.toString()).isEqualTo(refused.status());
    }

    // and: that one backup completes, and it is the only one, in Backstop and in Zeebe
    JsonNode backup = awaitEnded(backupId);
    assertThat(backup.path("state").asText()).as(backup.toString()).isEqualTo("COMPLETED");
    assertThat(client.get(backupsPath()).json().findValuesAsText("backupId")).containsExactly(Long.toString(backupId));
    Set<Long> zeebeNew = new HashSet<>(probe.backupIds(testbed.zeebe()));
    zeebeNew.removeAll(zeebeBefore);
    assertThat(zeebeNew).as("backups Zeebe got").containsExactly(backupId);
  }

  private List<Api.Answer> atOnce() throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Api.Answer>> futures = new ArrayList<>();
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < REQUESTS; i++) {
        futures.add(threads.submit(() -> {
          start.await();
          return client.post(backupsPath(), null);
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
