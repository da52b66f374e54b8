package dev.backstop.server.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstop.server.operation.OperationEngine;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The instance that runs an operation (a backup's or a restore's), killed ({@code kill -9}), and
 * where each other instance's log stood at that moment: what a survivor logs after it tells how
 * often the operation was run again.
 */
public record Takeover(BackstopProcess killed, Map<BackstopProcess, Integer> survivorLogMarks) {

  /**
   * Kills the instance db-scheduler says runs {@code operation} now.
   *
   * @param instances every instance on that database
   */
  public static Takeover killRunnerOf(DataSource database, String operation, List<BackstopProcess> instances) {
    Optional<String> runner = JdbcClient.create(database)
        .sql("select picked_by from scheduled_tasks where task_name = :task and task_instance = :op and picked")
        .param("task", OperationEngine.BACKUP_OPERATION).param("op", operation).query(String.class).optional();
    assertThat(runner).as("the instance running " + operation).isPresent();
    BackstopProcess killed =
        instances.stream().filter(candidate -> candidate.process().name().equals(runner.get())).findFirst().orElseThrow();
    killed.process().kill();
    Map<BackstopProcess, Integer> marks = new LinkedHashMap<>();
    instances.stream().filter(instance -> instance != killed).forEach(survivor -> marks.put(survivor, survivor.logLineCount()));
    assertThat(marks.keySet()).as("the other instances").isNotEmpty().allMatch(instance -> instance.process().isRunning());
    return new Takeover(killed, marks);
  }

  public List<BackstopProcess> survivors() {
    return List.copyOf(survivorLogMarks.keySet());
  }

  /** The lines containing {@code text} that the survivors logged after the kill. */
  public List<String> loggedAfterTheKill(String text) {
    return survivorLogMarks.entrySet().stream()
        .flatMap(survivor -> survivor.getKey().logLinesAfter(survivor.getValue()).stream())
        .filter(line -> line.contains(text))
        .toList();
  }
}
