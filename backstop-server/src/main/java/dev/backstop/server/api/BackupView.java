package dev.backstop.server.api;

import dev.backstop.core.backup.Backup;
import dev.backstop.core.backup.BackupState;
import dev.backstop.core.backup.Component;
import dev.backstop.core.verification.Verification;
import dev.backstop.core.replication.Replication;
import dev.backstop.core.replication.ReplicationState;
import dev.backstop.core.cluster.Cluster;
import java.time.Instant;
import java.util.List;

/**
 * A backup as the API shows it. The fields {@code uuid}, {@code name}, {@code created}, {@code
 * completed}, {@code status} and the four component statuses follow Camunda's Administration API,
 * so Camunda's own clients read it unchanged. {@code exportingPaused} is true while exporting may
 * still be paused by this backup (Backstop keeps resuming it until Zeebe confirms).
 */
public record BackupView(
    String uuid,
    long backupId,
    String name,
    String type,
    Instant created,
    Instant completed,
    String state,
    String status,
    String zeebeStatus,
    String operateStatus,
    String tasklistStatus,
    String optimizeStatus,
    String failureReason,
    List<ComponentView> components,
    LocationView location,
    VerificationView verification,
    boolean exportingPaused,
    RetryView retry) {

  public record ComponentView(String component, String state, String detail) {}

  /**
   * Work that had to be repeated (resuming exporting, removing a part, deleting): how many
   * attempts failed, the last error, and when the next attempt is due ({@code null} once done).
   */
  public record RetryView(int attempts, Instant lastAttemptAt, String lastError, Instant nextAttemptAt) {}

  /**
   * Where the backup is kept: its cluster's region, and for a dual-region cluster the secondary
   * region with the state of the copy there and what was copied.
   */
  public record LocationView(String primaryRegion, String secondaryRegion, String replication, ReplicationDetail replicationDetail) {}

  /** What replication copied (objects the secondary held already are not counted), and when. */
  public record ReplicationDetail(long objects, long bytes, Instant startedAt, Instant endedAt, String failureReason) {}

  /**
   * The last check of the backup's objects in every region that holds it (manifests complete,
   * files and blobs present at their sizes): PENDING until the first, then VERIFIED or DAMAGED
   * with when, and for DAMAGED what is missing or wrong. {@code null} for a backup that did not
   * complete.
   */
  public record VerificationView(String state, Instant at, String detail) {}

  private static VerificationView verification(Backup backup) {
    Verification verification = backup.verification();
    boolean shown = backup.state() == BackupState.COMPLETED || (backup.state() == BackupState.DELETING && verification.at().isPresent());
    return shown ? new VerificationView(verification.state().name(), verification.at().orElse(null), verification.detail().orElse(null)) : null;
  }

  private static ReplicationDetail detail(Replication replication) {
    return new ReplicationDetail(
        replication.objects(),
        replication.bytes(),
        replication.startedAt().orElse(null),
        replication.endedAt().orElse(null),
        replication.failureReason().orElse(null));
  }

  public static BackupView of(Backup backup, Cluster cluster) {
    List<ComponentView> components =
        backup.parts().entrySet().stream()
            .sorted(java.util.Map.Entry.comparingByKey())
            .map(e -> new ComponentView(e.getKey().name(), e.getValue().state().name(), e.getValue().detail()))
            .toList();
    return new BackupView(
        backup.id().toString(),
        backup.id().value(),
        backup.name(),
        backup.type().name(),
        backup.createdAt(),
        backup.completedAt().orElse(null),
        backup.state().name(),
        backup.state().camundaStatus(),
        backup.camundaStatusOf(Component.ZEEBE),
        backup.camundaStatusOf(Component.OPERATE),
        backup.camundaStatusOf(Component.TASKLIST),
        backup.camundaStatusOf(Component.OPTIMIZE),
        backup.failureReason().orElse(null),
        components,
        new LocationView(
            cluster.region(),
            cluster.location().secondaryRegion().orElse(null),
            backup.replication().state().name(),
            backup.replication().state() == ReplicationState.NOT_REQUIRED ? null : detail(backup.replication())),
        verification(backup),
        backup.exportingPaused(),
        backup.retry().map(r -> new RetryView(r.attempts(), r.lastAttemptAt(), r.lastError(), r.nextAttemptAt().orElse(null))).orElse(null));
  }
}
