package dev.backstop.server.api;

import dev.backstop.core.schedule.ScheduleService;
import dev.backstop.server.security.Caller;
import java.util.List;
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

  private final ScheduleService schedules;

  public ScheduleController(ScheduleService schedules) {
    this.schedules = schedules;
  }

  @GetMapping("/clusters/{clusterId}/backup-schedule")
  public ScheduleView get(@PathVariable String clusterId) {
    return ScheduleView.of(ApiProblem.orThrow(schedules.get(Caller.current().actor(), clusterId)));
  }

  @PutMapping("/clusters/{clusterId}/backup-schedule")
  public ScheduleView put(@PathVariable String clusterId, @RequestBody ScheduleRequest request) {
    ScheduleService.Input input =
        new ScheduleService.Input(request.frequency(), request.dayOfWeek(), request.time(), request.timeZone(), request.enabled());
    return ScheduleView.of(ApiProblem.orThrow(schedules.put(Caller.current().actor(), clusterId, input)));
  }

  @DeleteMapping("/clusters/{clusterId}/backup-schedule")
  public ResponseEntity<Void> delete(@PathVariable String clusterId) {
    ApiProblem.orThrow(schedules.delete(Caller.current().actor(), clusterId));
    return ResponseEntity.noContent().build();
  }

  /** Every run, newest first: started (with the backup's outcome), failed or skipped, with the reason. */
  @GetMapping("/clusters/{clusterId}/backup-schedule/runs")
  public List<ScheduleRunView> runs(@PathVariable String clusterId) {
    return ApiProblem.orThrow(schedules.runs(Caller.current().actor(), clusterId)).stream().map(ScheduleRunView::of).toList();
  }
}
