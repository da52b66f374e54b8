package dev.backstop.core.organization;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * An API client: credentials of an organization (or the operator's), with permissions. Its secret
 * is never part of it: Backstop keeps only a hash, and shows the secret once, at creation.
 *
 * @param clientId the client id, {@code bks-…}
 * @param name a name for people
 * @param organizationId its organization; empty for the operator
 * @param permissions what it may do
 */
public record ApiClient(String clientId, String name, Optional<UUID> organizationId, Set<Permission> permissions) {

  public ApiClient {
    permissions = permissions.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(permissions));
  }

  /** The permissions in their declared order (as the API lists them). */
  public java.util.List<Permission> orderedPermissions() {
    return permissions.isEmpty() ? java.util.List.of() : java.util.List.copyOf(EnumSet.copyOf(permissions));
  }
}
