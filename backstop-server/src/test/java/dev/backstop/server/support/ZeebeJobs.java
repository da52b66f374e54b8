package dev.backstop.server.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.backstop.testbed.Testbed;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The restore tests' way of seeing which process instances Zeebe itself holds: the user-task jobs
 * of the test bed's order process, activated and completed through Zeebe (each instance waiting
 * at its user task has exactly one).
 */
public final class ZeebeJobs {

  /** The job type of Zeebe's job-based user tasks. */
  public static final String USER_TASK_JOB = "io.camunda.zeebe:userTask";

  private ZeebeJobs() {}

  /** Completes the user-task jobs of these instances (their jobs are activated, the others' let go at once). */
  public static void completeJobsOf(Testbed testbed, Set<Long> instanceKeys) {
    Set<Long> done = new HashSet<>();
    await("jobs of " + instanceKeys + " completed").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500)).until(() -> {
      for (Testbed.ActivatedJob job : testbed.activateJobs(USER_TASK_JOB, 100, Duration.ofSeconds(1))) {
        if (instanceKeys.contains(job.processInstanceKey()) && !done.contains(job.processInstanceKey())) {
          int status = testbed.completeJob(job.jobKey());
          assertThat(status).as("completing job " + job).isIn(204, 503); // 503: back pressure, activated again later
          if (status == 204) {
            done.add(job.processInstanceKey());
          }
        }
      }
      return done.equals(instanceKeys);
    });
  }

  /**
   * Activates every waiting user-task job in Zeebe and completes it (each a job Zeebe hands out and
   * takes back as completed), until a few activations in a row hand out nothing new.
   *
   * @return the process instances whose jobs were completed
   */
  public static Set<Long> completeAllWaitingJobs(Testbed testbed) {
    Set<Long> completed = new HashSet<>();
    int quiet = 0;
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (quiet < 5 && System.nanoTime() < deadline) {
      List<Testbed.ActivatedJob> jobs = testbed.activateJobs(USER_TASK_JOB, 100, Duration.ofMinutes(5));
      quiet = jobs.isEmpty() ? quiet + 1 : 0;
      for (Testbed.ActivatedJob job : jobs) {
        int status = testbed.completeJob(job.jobKey());
        for (int retry = 0; status == 503 && retry < 25; retry++) { // back pressure: the same job, a moment later
          sleep(Duration.ofMillis(200));
          status = testbed.completeJob(job.jobKey());
        }
        assertThat(status).as("completing job " + job).isEqualTo(204);
        completed.add(job.processInstanceKey());
      }
    }
    return completed;
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
