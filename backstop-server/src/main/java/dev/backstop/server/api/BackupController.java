package dev.backstop.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backstop.core.backup.Backup;
import dev.backstop.core.backup.BackupId;
import dev.backstop.core.backup.BackupRepository;
import dev.backstop.core.backup.BackupService;
import dev.backstop.core.organization.Permission;
import dev.backstop.core.policy.Admission;
import dev.backstop.core.usecase.FieldError;
import dev.backstop.server.persistence.JdbcClusters;
import dev.backstop.server.persistence.JdbcClusters.StoredCluster;
import dev.backstop.server.audit.Audited;
import dev.backstop.server.security.Caller;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** {@code /clusters/{clusterId}/backups}: Camunda's Administration API for backups, and more. */
@RestController
public class BackupController {

  private final JdbcClusters clusters;
  private final BackupRepository backups;
  private final BackupService service;

  public BackupController(JdbcClusters clusters, BackupRepository backups, BackupService service) {
    this.clusters = clusters;
    this.backups = backups;
    this.service = service;
  }

  @GetMapping("/clusters/{clusterId}/backups")
  public List<BackupView> list(@PathVariable String clusterId) {
    StoredCluster cluster = cluster(clusterId, Permission.BACKUPS_READ);
    return backups.list(clusterId).stream().map(backup -> BackupView.of(backup, cluster.cluster())).toList();
  }

  /** The body a backup request may have: its name. */
  public record BackupRequest(String name) {}

  /** No body, or {@code {"name": "…"}}; Camunda's client sends an empty body. */
  @PostMapping("/clusters/{clusterId}/backups")
  public ResponseEntity<BackupView> create(
      @PathVariable String clusterId,
      @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(schema = @Schema(implementation = BackupRequest.class)))
          @RequestBody(required = false) JsonNode body) {
    StoredCluster cluster = cluster(clusterId, Permission.BACKUPS_WRITE);
    Optional<String> name = name(body);
    BackupService.RequestResult result;
    try {
      result = service.requestManualBackup(clusterId, name);
    } catch (NoSuchElementException clusterGone) {
      // The repository's contract when the cluster is deleted while the request runs.
      throw ApiProblem.notFound("No cluster " + clusterId + ".");
    }
    return switch (result) {
      case BackupService.Accepted accepted -> {
        Audited.backup(accepted.backup().id().value());
        yield ResponseEntity.status(HttpStatus.ACCEPTED).body(BackupView.of(accepted.backup(), cluster.cluster()));
      }
      case BackupService.Rejected rejected -> throw problem(rejected.rejection());
      case BackupService.ClusterNotFound notFound -> throw ApiProblem.notFound("No cluster " + clusterId + ".");
    };
  }

  @GetMapping("/clusters/{clusterId}/backups/{backupId}")
  public BackupView get(@PathVariable String clusterId, @PathVariable long backupId) {
    StoredCluster cluster = cluster(clusterId, Permission.BACKUPS_READ);
    return backups
        .find(clusterId, backupId(backupId))
        .map(backup -> BackupView.of(backup, cluster.cluster()))
        .orElseThrow(() -> ApiProblem.notFound("No backup " + backupId + " of cluster " + clusterId + "."));
  }

  @DeleteMapping("/clusters/{clusterId}/backups/{backupId}")
  public ResponseEntity<BackupView> delete(@PathVariable String clusterId, @PathVariable long backupId) {
    StoredCluster cluster = cluster(clusterId, Permission.BACKUPS_WRITE);
    return switch (service.delete(clusterId, backupId(backupId))) {
      case BackupService.DeletionStarted started ->
          ResponseEntity.status(HttpStatus.ACCEPTED).body(BackupView.of(started.backup(), cluster.cluster()));
      case BackupService.StillInProgress running -> throw ApiProblem.conflict(running.reason());
      case BackupService.BackupNotFound notFound -> throw ApiProblem.notFound("No backup " + backupId + " of cluster " + clusterId + ".");
    };
  }

  /**
   * Asks again for a replication that failed once its retries were spent: 202 and the backup,
   * its replication PENDING; 409 unless its replication is FAILED.
   */
  @PostMapping("/clusters/{clusterId}/backups/{backupId}/replication")
  public ResponseEntity<BackupView> retryReplication(@PathVariable String clusterId, @PathVariable long backupId) {
    StoredCluster cluster = cluster(clusterId, Permission.BACKUPS_WRITE);
    return switch (service.retryReplication(clusterId, backupId(backupId))) {
      case BackupService.ReplicationRetried retried ->
          ResponseEntity.status(HttpStatus.ACCEPTED).body(BackupView.of(retried.backup(), cluster.cluster()));
      case BackupService.ReplicationNotFailed notFailed -> throw ApiProblem.conflict(notFailed.reason());
      case BackupService.NoSuchBackup notFound -> throw ApiProblem.notFound("No backup " + backupId + " of cluster " + clusterId + ".");
    };
  }

  private StoredCluster cluster(String clusterId, Permission permission) {
    Caller caller = Caller.current();
    caller.require(permission);
    StoredCluster stored = VisibleClusters.find(clusters, caller, clusterId);
    if (stored.deleting()) {
      throw ApiProblem.notFound("Cluster " + clusterId + " is being deleted.");
    }
    return stored;
  }

  private static BackupId backupId(long value) {
    if (value <= 0) {
      throw ApiProblem.validation(List.of(new FieldError("backupId", "must be a positive integer")));
    }
    return new BackupId(value);
  }

  private static Optional<String> name(JsonNode body) {
    Optional<String> name = Optional.ofNullable(OptionalBody.strings(body, java.util.Set.of("name"), "{\"name\": \"before-upgrade\"}").get("name"));
    if (name.isPresent() && (name.get().length() > 100 || name.get().isBlank())) {
      throw ApiProblem.validation(List.of(new FieldError("name", "must be 1 to 100 characters")));
    }
    return name;
  }

  private static ApiProblem problem(Admission.Rejected rejected) {
    return switch (rejected.rejection()) {
      case PLAN_WITHOUT_BACKUPS -> ApiProblem.planWithoutBackups(rejected.detail());
      case GENERATION_TOO_OLD, GENERATION_NOT_SUPPORTED_YET -> ApiProblem.unsupportedGeneration(rejected.detail());
      case GENERATION_MISMATCH -> ApiProblem.generationMismatch(rejected.detail());
      case OPERATION_RUNNING -> ApiProblem.conflict(rejected.detail());
      case RATE_LIMITED ->
          ApiProblem.rateLimited(rejected.detail(), rejected.retryAfter().map(Admission::ceilSeconds).orElse(1L));
    };
  }
}
