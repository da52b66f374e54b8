package dev.backstop.server.api;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import dev.backstop.core.organization.Permission;
import dev.backstop.core.schedule.BackupSchedule;
import dev.backstop.server.persistence.JdbcClusters;
import dev.backstop.server.schedule.JdbcSchedules;
import dev.backstop.server.schedule.ScheduledBackups;
import dev.backstop.server.security.Caller;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** {@code /clusters/{clusterId}/backup-schedule}: a cluster's scheduled backups and their history. */
@RestController
public class ScheduleController {

  /** The body of a PUT. */
  public record ScheduleRequest(String frequency, String dayOfWeek, String time, String timeZone, Boolean enabled) {}

  private final JdbcClusters clusters;
  private final JdbcSchedules schedules;
  private final SchedulerClient scheduler;
  private final CustomTask<Void> task;
  private final Clock clock;

  public ScheduleController(JdbcClusters clusters, JdbcSchedules schedules, SchedulerClient scheduler, CustomTask<Void> task, Clock clock) {
    this.clusters = clusters;
    this.schedules = schedules;
    this.scheduler = scheduler;
    this.task = task;
    this.clock = clock;
  }

  @GetMapping("/clusters/{clusterId}/backup-schedule")
  public Map<String, Object> get(@PathVariable String clusterId) {
    cluster(clusterId, Permission.BACKUPS_READ);
    return schedules.find(clusterId).map(this::view).orElseThrow(() -> ApiProblem.notFound("Cluster " + clusterId + " has no backup schedule."));
  }

  @PutMapping("/clusters/{clusterId}/backup-schedule")
  public Map<String, Object> put(@PathVariable String clusterId, @RequestBody ScheduleRequest request) {
    cluster(clusterId, Permission.BACKUPS_WRITE);
    BackupSchedule.Parsed parsed =
        BackupSchedule.parse(request.frequency(), request.dayOfWeek(), request.time(), request.timeZone(), request.enabled());
    if (!parsed.errors().isEmpty()) {
      throw ApiProblem.validation(
          parsed.errors().stream()
              .map(error -> new ApiProblem.FieldError(error.substring(0, error.indexOf(':')), error.substring(error.indexOf(':') + 2)))
              .toList());
    }
    BackupSchedule schedule = parsed.schedule().orElseThrow();
    Instant now = clock.instant();
    if (!schedules.save(clusterId, schedule, now)) {
      throw ApiProblem.notFound("No cluster " + clusterId + ".");
    }
    ScheduledBackups.plan(scheduler, task, clusterId, schedule.nextRunAfter(now));
    return view(schedule);
  }

  @DeleteMapping("/clusters/{clusterId}/backup-schedule")
  public ResponseEntity<Void> delete(@PathVariable String clusterId) {
    cluster(clusterId, Permission.BACKUPS_WRITE);
    if (!schedules.delete(clusterId)) {
      throw ApiProblem.notFound("Cluster " + clusterId + " has no backup schedule.");
    }
    ScheduledBackups.plan(scheduler, task, clusterId, java.util.Optional.empty());
    return ResponseEntity.noContent().build();
  }

  /** Every run, newest first: started (with the backup's outcome), failed or skipped, with the reason. */
  @GetMapping("/clusters/{clusterId}/backup-schedule/runs")
  public List<Map<String, Object>> runs(@PathVariable String clusterId) {
    cluster(clusterId, Permission.BACKUPS_READ);
    return schedules.runs(clusterId, 100).stream()
        .map(
            run -> {
              Map<String, Object> view = new LinkedHashMap<>();
              view.put("dueAt", run.dueAt());
              view.put("ranAt", run.ranAt());
              view.put("outcome", run.outcome());
              view.put("backupId", run.backupId().orElse(null));
              view.put("reason", run.reason().orElse(null));
              return view;
            })
        .toList();
  }

  private Map<String, Object> view(BackupSchedule schedule) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("frequency", schedule.frequency().name());
    view.put("dayOfWeek", schedule.dayOfWeek().map(DayOfWeek::name).orElse(null));
    view.put("time", schedule.timeText());
    view.put("timeZone", schedule.zone().getId());
    view.put("enabled", schedule.enabled());
    view.put("nextRunAt", schedule.nextRunAfter(clock.instant()).orElse(null));
    return view;
  }

  private void cluster(String clusterId, Permission permission) {
    Caller caller = Caller.current();
    caller.require(permission);
    if (ClusterController.visibleCluster(clusters, caller, clusterId).deleting()) {
      throw ApiProblem.notFound("Cluster " + clusterId + " is being deleted.");
    }
  }
}
