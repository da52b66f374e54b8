package dev.backstop.core.organization;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Where organizations and their API clients are kept (Backstop's database). Safe for several
 * Backstop instances sharing it.
 */
public interface Organizations {

  /**
   * Inserts an organization unless one of its name exists. Atomic and race-safe: of two inserts
   * of one name, however close, exactly one succeeds.
   *
   * @return whether it was inserted ({@code false}: the name is taken, nothing changed)
   */
  boolean insert(Organization organization);

  Optional<Organization> find(UUID id);

  /** Every organization, by name. */
  List<Organization> list();

  /**
   * Inserts an API client with the hash of its secret. The client id is new (random); a clash
   * is a bug, thrown.
   */
  void insertClient(ApiClient client, String secretHash, Instant createdAt);

  /**
   * Deletes an organization's client; its tokens stop working. Idempotent.
   *
   * @return whether the organization had it
   */
  boolean deleteClient(UUID organizationId, String clientId);
}
