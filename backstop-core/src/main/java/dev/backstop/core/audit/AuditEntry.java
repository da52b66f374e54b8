package dev.backstop.core.audit;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * One line of the audit trail.
 *
 * @param sequence its place in the trail (ascending in the order entries were appended); 0 before
 *     it is appended
 * @param at when it happened
 * @param actor the API client that asked, or {@link #SYSTEM} for what Backstop did on its own
 * @param organizationId whose trail it is in (the cluster's organization, or the caller's); empty
 *     for the operator's own actions, which only the operator sees
 * @param action what was done or asked, e.g. {@code backup.create}, {@code backup.failed}
 * @param clusterId the cluster it concerns, if one
 * @param backupId the backup it concerns, if one
 * @param restoreId the restore it concerns, if one
 * @param outcome how it went
 * @param detail in words: why it was refused or failed, or what was done
 */
public record AuditEntry(
    long sequence,
    Instant at,
    String actor,
    Optional<UUID> organizationId,
    String action,
    Optional<String> clusterId,
    Optional<Long> backupId,
    Optional<String> restoreId,
    Outcome outcome,
    String detail) {

  /** The actor of automatic actions: scheduled runs, retention, replication, takeovers. */
  public static final String SYSTEM = "system";

  /** How an audited action went. */
  public enum Outcome {
    /** Done, or accepted to be done. */
    SUCCEEDED,
    /** Refused: bad input, not allowed, not found, conflicting; nothing changed. */
    REJECTED,
    /** Tried and failed. */
    FAILED
  }

  public AuditEntry {
    Objects.requireNonNull(at);
    Objects.requireNonNull(actor);
    Objects.requireNonNull(organizationId);
    Objects.requireNonNull(action);
    Objects.requireNonNull(clusterId);
    Objects.requireNonNull(backupId);
    Objects.requireNonNull(restoreId);
    Objects.requireNonNull(outcome);
    detail = detail == null ? "" : detail;
  }
}
