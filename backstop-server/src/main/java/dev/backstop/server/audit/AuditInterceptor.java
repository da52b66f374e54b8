package dev.backstop.server.audit;

import dev.backstop.core.audit.AuditEntry;
import dev.backstop.core.audit.AuditTrail;
import dev.backstop.server.persistence.JdbcClusters;
import dev.backstop.server.security.Caller;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.stereotype.Component;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;

/**
 * Appends every state-changing request (POST, PUT, PATCH, DELETE) of an authenticated caller to
 * the audit trail once it is answered, refused ones included: who, what (the action named after
 * the endpoint), which cluster, backup or restore, the outcome from the status, and why it was
 * refused. A request without a valid token never reaches an endpoint and is not recorded (anyone
 * could fill the trail with those); nor is the token endpoint, which changes nothing.
 */
@Component
public class AuditInterceptor implements HandlerInterceptor {

  private static final Logger LOG = LoggerFactory.getLogger(AuditInterceptor.class);

  /** Endpoint (method and path pattern) → the action's name in the trail. */
  static final Map<String, String> ACTIONS =
      Map.ofEntries(
          Map.entry("POST /clusters", "cluster.register"),
          Map.entry("DELETE /clusters/{clusterId}", "cluster.delete"),
          Map.entry("PUT /clusters/{clusterId}/generation", "cluster.generation.set"),
          Map.entry("POST /clusters/{clusterId}/backups", "backup.create"),
          Map.entry("DELETE /clusters/{clusterId}/backups/{backupId}", "backup.delete"),
          Map.entry("POST /clusters/{clusterId}/backups/{backupId}/replication", "replication.retry"),
          Map.entry("POST /clusters/{clusterId}/backups/{backupId}/restore", "restore.request"),
          Map.entry("POST /clusters/{clusterId}/restores/{restoreId}/confirm", "restore.confirm"),
          Map.entry("PUT /clusters/{clusterId}/backup-schedule", "schedule.set"),
          Map.entry("DELETE /clusters/{clusterId}/backup-schedule", "schedule.delete"),
          Map.entry("POST /admin/organizations", "organization.create"),
          Map.entry("POST /admin/organizations/{orgId}/clients", "client.create"),
          Map.entry("DELETE /admin/organizations/{orgId}/clients/{clientId}", "client.delete"),
          Map.entry("PUT /admin/clusters/{clusterId}/backup-policy", "policy.set"),
          Map.entry("POST /admin/signing-keys", "signing-key.rotate"),
          Map.entry("DELETE /admin/signing-keys/{kid}", "signing-key.remove"),
          Map.entry("POST /organizations/{orgId}/webhooks", "webhook.create"),
          Map.entry("DELETE /organizations/{orgId}/webhooks/{webhookId}", "webhook.delete"));

  private final AuditTrail audit;
  private final JdbcClusters clusters;
  private final Clock clock;

  public AuditInterceptor(AuditTrail audit, JdbcClusters clusters, Clock clock) {
    this.audit = audit;
    this.clusters = clusters;
    this.clock = clock;
  }

  @Override
  public void afterCompletion(HttpServletRequest request, HttpServletResponse response, Object handler, Exception ex) {
    if (!(handler instanceof HandlerMethod) || !changesState(request.getMethod())) {
      return;
    }
    if (!(SecurityContextHolder.getContext().getAuthentication() instanceof JwtAuthenticationToken)) {
      return;
    }
    try {
      audit.append(entryOf(request, response.getStatus(), Caller.current()));
    } catch (RuntimeException e) {
      // The request was answered; a trail that cannot be written is an operator's alarm, logged.
      LOG.error("Could not append {} {} to the audit trail: {}", request.getMethod(), request.getRequestURI(), e.toString());
    }
  }

  AuditEntry entryOf(HttpServletRequest request, int status, Caller caller) {
    String pattern = String.valueOf(request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE));
    String action = ACTIONS.getOrDefault(request.getMethod() + " " + pattern, request.getMethod() + " " + pattern);
    @SuppressWarnings("unchecked")
    Map<String, String> variables =
        Optional.ofNullable((Map<String, String>) request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE)).orElse(Map.of());
    Optional<String> clusterId = Optional.ofNullable((String) request.getAttribute(Audited.CLUSTER)).or(() -> Optional.ofNullable(variables.get("clusterId")));
    Optional<Long> backupId =
        Optional.ofNullable((Long) request.getAttribute(Audited.BACKUP)).or(() -> Optional.ofNullable(variables.get("backupId")).flatMap(AuditInterceptor::number));
    Optional<String> restoreId = Optional.ofNullable((String) request.getAttribute(Audited.RESTORE)).or(() -> Optional.ofNullable(variables.get("restoreId")));
    Optional<UUID> organization =
        Optional.ofNullable((UUID) request.getAttribute(Audited.ORGANIZATION))
            .or(() -> clusterId.flatMap(clusters::findStored).map(stored -> stored.cluster().organizationId()).filter(caller::canSee))
            .or(() -> Optional.ofNullable(variables.get("orgId")).flatMap(AuditInterceptor::uuid).filter(caller::canSee))
            // An attempt on what the caller may not see is in the caller's own organization's trail.
            .or(caller::organizationId);
    AuditEntry.Outcome outcome = status < 400 ? AuditEntry.Outcome.SUCCEEDED : status < 500 ? AuditEntry.Outcome.REJECTED : AuditEntry.Outcome.FAILED;
    String detail = Optional.ofNullable((String) request.getAttribute(Audited.DETAIL)).map(d -> status + ": " + d).orElse(String.valueOf(status));
    // Ids come from the path as sent: an entry keeps at most so much of each.
    return new AuditEntry(
        0, clock.instant(), caller.clientId(), organization, action, clusterId.map(AuditInterceptor::capped), backupId,
        restoreId.map(AuditInterceptor::capped), outcome, capped(detail, 1_000));
  }

  private static String capped(String text) {
    return capped(text, 100);
  }

  private static String capped(String text, int limit) {
    return text.length() <= limit ? text : text.substring(0, limit) + "…";
  }

  private static boolean changesState(String method) {
    return switch (method) {
      case "POST", "PUT", "PATCH", "DELETE" -> true;
      default -> false;
    };
  }

  private static Optional<Long> number(String text) {
    try {
      return Optional.of(Long.parseLong(text));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static Optional<UUID> uuid(String text) {
    try {
      return Optional.of(UUID.fromString(text));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
