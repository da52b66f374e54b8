package dev.backstop.core.audit;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Where the audit trail is kept (Backstop's database). Append-only by design: there is no way to
 * change or remove an entry through this port (and the database refuses it too).
 */
public interface AuditTrail {

  /** Appends an entry (its sequence is assigned); returns it as appended. */
  AuditEntry append(AuditEntry entry);

  /**
   * Appends an entry unless one with this key was appended before: what an operation run again
   * after a crash tells twice is in the trail once. Atomic and race-safe.
   *
   * @return the entry as appended, or empty if the key was already there (nothing changed)
   */
  Optional<AuditEntry> appendOnce(String key, AuditEntry entry);

  /**
   * A page of entries, newest first.
   *
   * @param organizationId only this organization's entries; empty: every entry (the operator)
   * @param clusterId only this cluster's, if given
   * @param from only entries at or after, if given
   * @param to only entries before, if given
   * @param before only entries with a smaller sequence (the cursor of the previous page), if given
   * @param limit at most this many
   */
  List<AuditEntry> find(
      Optional<UUID> organizationId, Optional<String> clusterId, Optional<Instant> from, Optional<Instant> to, Optional<Long> before, int limit);
}
