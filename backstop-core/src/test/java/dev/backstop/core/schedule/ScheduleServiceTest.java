package dev.backstop.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstop.core.organization.Permission;
import dev.backstop.core.testing.Actors;
import dev.backstop.core.testing.InMemoryClusters;
import dev.backstop.core.testing.SettableClock;
import dev.backstop.core.usecase.Actor;
import dev.backstop.core.usecase.FieldError;
import dev.backstop.core.usecase.Result;
import java.time.DayOfWeek;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ScheduleServiceTest {

  private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z"); // a Sunday

  private final InMemoryClusters clusters = new InMemoryClusters();
  private final InMemorySchedules schedules = new InMemorySchedules();
  private final Map<String, Optional<Instant>> planned = new HashMap<>();
  private final ScheduleService service = new ScheduleService(clusters, schedules, planned::put, new SettableClock(NOW));
  private final UUID organization = UUID.randomUUID();
  private final Actor writer = Actors.member(organization, Permission.BACKUPS_READ, Permission.BACKUPS_WRITE);

  @Test
  void shouldSaveASchedulePlanItsNextRunAndShowIt() {
    clusters.add("c-1", organization);

    Result<ScheduleService.Planned> put =
        service.put(writer, "c-1", new ScheduleService.Input("WEEKLY", "SUNDAY", "12:30", "Europe/Berlin", true));

    ScheduleService.Planned schedule = ((Result.Ok<ScheduleService.Planned>) put).value();
    assertThat(schedule.schedule().dayOfWeek()).contains(DayOfWeek.SUNDAY);
    assertThat(schedule.nextRunAt()).contains(Instant.parse("2026-11-22T11:30:00Z"));
    assertThat(planned).containsEntry("c-1", Optional.of(Instant.parse("2026-11-22T11:30:00Z")));
    assertThat(service.get(writer, "c-1")).isEqualTo(put);
  }

  @Test
  void shouldNameEveryInvalidFieldAndPlanNothing() {
    clusters.add("c-1", organization);

    Result<ScheduleService.Planned> invalid = service.put(writer, "c-1", new ScheduleService.Input("HOURLY", null, "7:5", "", null));

    assertThat(invalid).isInstanceOf(Result.Invalid.class);
    assertThat(((Result.Invalid<ScheduleService.Planned>) invalid).errors())
        .extracting(FieldError::field)
        .containsExactly("frequency", "time", "timeZone", "enabled");
    assertThat(planned).isEmpty();
    assertThat(service.get(writer, "c-1")).isEqualTo(Result.notFound("Cluster c-1 has no backup schedule."));
  }

  @Test
  void shouldUnplanADeletedSchedule() {
    clusters.add("c-1", organization);
    service.put(writer, "c-1", new ScheduleService.Input("DAILY", null, "02:30", "UTC", true));

    assertThat(service.delete(writer, "c-1")).isEqualTo(Result.ok(Result.Done.DONE));

    assertThat(planned).containsEntry("c-1", Optional.empty());
    assertThat(service.delete(writer, "c-1")).isEqualTo(Result.notFound("Cluster c-1 has no backup schedule."));
  }

  @Test
  void shouldHideOtherOrganizationsClustersAndClustersBeingDeleted() {
    clusters.add("c-1", UUID.randomUUID());
    clusters.add("c-2", organization);
    clusters.markDeleting("c-2");
    ScheduleService.Input daily = new ScheduleService.Input("DAILY", null, "02:30", "UTC", true);

    assertThat(service.put(writer, "c-1", daily)).isEqualTo(Result.notFound("No cluster c-1."));
    assertThat(service.put(writer, "c-2", daily)).isEqualTo(Result.notFound("Cluster c-2 is being deleted."));
    assertThat(service.put(Actors.member(organization, Permission.BACKUPS_READ), "c-2", daily)).isInstanceOf(Result.Forbidden.class);
    assertThat(planned).isEmpty();
  }

  @Test
  void shouldAnswerNotFoundWhenTheClusterGoesWhileSaving() {
    clusters.add("c-1", organization);
    schedules.beforeSave = () -> clusters.remove("c-1");

    Result<ScheduleService.Planned> put = service.put(writer, "c-1", new ScheduleService.Input("DAILY", null, "02:30", "UTC", true));

    assertThat(put).isEqualTo(Result.notFound("No cluster c-1."));
    assertThat(planned).isEmpty();
  }

  @Test
  void shouldListTheRunsNewestFirst() {
    clusters.add("c-1", organization);
    schedules.runs.add(new ScheduleRun(2, NOW, NOW, "SKIPPED", Optional.empty(), Optional.of("a backup is in progress")));
    schedules.runs.add(new ScheduleRun(1, NOW.minusSeconds(86400), NOW.minusSeconds(86400), "COMPLETED", Optional.of(7L), Optional.empty()));

    assertThat(service.runs(Actors.member(organization, Permission.BACKUPS_READ), "c-1")).isEqualTo(Result.ok(schedules.runs));
  }

  /** Schedules in memory; a save finds the cluster gone if it was removed (as the foreign key does). */
  private final class InMemorySchedules implements ScheduleStore {
    final Map<String, BackupSchedule> schedules = new HashMap<>();
    final List<ScheduleRun> runs = new ArrayList<>();
    Runnable beforeSave = () -> {};

    @Override
    public Optional<BackupSchedule> find(String clusterId) {
      return Optional.ofNullable(schedules.get(clusterId));
    }

    @Override
    public boolean save(String clusterId, BackupSchedule schedule, Instant now) {
      beforeSave.run();
      if (clusters.find(clusterId).isEmpty()) {
        return false;
      }
      schedules.put(clusterId, schedule);
      return true;
    }

    @Override
    public boolean delete(String clusterId) {
      return schedules.remove(clusterId) != null;
    }

    @Override
    public List<ScheduleRun> runs(String clusterId, int limit) {
      return List.copyOf(runs);
    }
  }
}
