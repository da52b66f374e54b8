package dev.backstop.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backstop.core.backup.BackupId;
import dev.backstop.core.organization.Permission;
import dev.backstop.core.restore.RestorePhase;
import dev.backstop.core.restore.RestoreService;
import dev.backstop.core.usecase.FieldError;
import dev.backstop.server.persistence.JdbcClusters;
import dev.backstop.server.audit.Audited;
import dev.backstop.server.security.Caller;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Restores: {@code POST /clusters/{clusterId}/backups/{backupId}/restore} (permission {@code
 * backups:restore}), {@code GET /clusters/{clusterId}/restores[/{restoreId}]} ({@code
 * backups:read}) and the operator's confirmation of a manual step, {@code POST
 * /clusters/{clusterId}/restores/{restoreId}/confirm} ({@code backups:restore}).
 */
@RestController
public class RestoreController {

  private final JdbcClusters clusters;
  private final RestoreService service;

  public RestoreController(JdbcClusters clusters, RestoreService service) {
    this.clusters = clusters;
    this.service = service;
  }

  /** The body a restore request may have: the region to restore from. */
  public record RestoreRequest(String sourceRegion) {}

  /** The body of a confirmation: the phase the operator did. */
  public record ConfirmRequest(String phase) {}

  /** Body: none, or {@code {"sourceRegion": "…"}} (the cluster's own region when absent). */
  @PostMapping("/clusters/{clusterId}/backups/{backupId}/restore")
  public ResponseEntity<RestoreView> restore(
      @PathVariable String clusterId, @PathVariable long backupId,
      @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(schema = @Schema(implementation = RestoreRequest.class)))
          @RequestBody(required = false) JsonNode body) {
    visible(clusterId, Permission.BACKUPS_RESTORE);
    if (backupId <= 0) {
      throw ApiProblem.validation(List.of(new FieldError("backupId", "must be a positive integer")));
    }
    Optional<String> sourceRegion = text(body, "sourceRegion");
    return switch (service.request(clusterId, new BackupId(backupId), sourceRegion)) {
      case RestoreService.Accepted accepted -> {
        Audited.restore(accepted.restore().id());
        yield ResponseEntity.status(HttpStatus.ACCEPTED).body(RestoreView.of(accepted.restore()));
      }
      case RestoreService.NotFound notFound -> throw ApiProblem.notFound(notFound.detail());
      case RestoreService.Invalid invalid -> throw ApiProblem.validation(List.of(invalid.error()));
      case RestoreService.Busy busy -> throw ApiProblem.conflict(busy.detail());
    };
  }

  @GetMapping("/clusters/{clusterId}/restores")
  public List<RestoreView> list(@PathVariable String clusterId) {
    visible(clusterId, Permission.BACKUPS_READ);
    return service.list(clusterId).stream().map(RestoreView::of).toList();
  }

  @GetMapping("/clusters/{clusterId}/restores/{restoreId}")
  public RestoreView get(@PathVariable String clusterId, @PathVariable String restoreId) {
    visible(clusterId, Permission.BACKUPS_READ);
    return service.find(clusterId, restoreId)
        .map(RestoreView::of)
        .orElseThrow(() -> ApiProblem.notFound("No restore " + restoreId + " of cluster " + clusterId + "."));
  }

  /** Body: {@code {"phase": "STOP_COMPONENTS" | "RESTORE_ZEEBE" | "START_COMPONENTS"}}. */
  @PostMapping("/clusters/{clusterId}/restores/{restoreId}/confirm")
  public ResponseEntity<RestoreView> confirm(
      @PathVariable String clusterId, @PathVariable String restoreId,
      @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(schema = @Schema(implementation = ConfirmRequest.class)))
          @RequestBody(required = false) JsonNode body) {
    visible(clusterId, Permission.BACKUPS_RESTORE);
    String name = text(body, "phase").orElseThrow(() -> ApiProblem.validation(List.of(new FieldError("phase", "is required"))));
    RestorePhase phase = Arrays.stream(RestorePhase.values())
        .filter(p -> p.byRuntime() && p.name().equals(name))
        .findFirst()
        .orElseThrow(() -> ApiProblem.validation(List.of(new FieldError("phase", "must be STOP_COMPONENTS, RESTORE_ZEEBE or START_COMPONENTS"))));
    return switch (service.confirm(clusterId, restoreId, phase)) {
      case RestoreService.Confirmed confirmed -> ResponseEntity.status(HttpStatus.ACCEPTED).body(RestoreView.of(confirmed.restore()));
      case RestoreService.NotWaiting notWaiting -> throw ApiProblem.conflict(notWaiting.detail());
      case RestoreService.NoSuchRestore none -> throw ApiProblem.notFound("No restore " + restoreId + " of cluster " + clusterId + ".");
    };
  }

  private void visible(String clusterId, Permission permission) {
    Caller caller = Caller.current();
    caller.require(permission);
    VisibleClusters.find(clusters, caller, clusterId);
  }

  private static Optional<String> text(JsonNode body, String field) {
    return Optional.ofNullable(OptionalBody.strings(body, java.util.Set.of(field), "{\"" + field + "\": \"…\"}").get(field));
  }
}
