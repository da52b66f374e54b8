package dev.backstop.core.usecase;

import dev.backstop.core.organization.Permission;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Who asks a use case for something: an API client of an organization, or the operator. The edge
 * builds it from the verified credential; use cases decide with it what the caller may do and see.
 *
 * @param clientId the API client
 * @param organizationId its organization; empty for the operator
 * @param permissions what it may do ({@link Permission#ADMIN}: everything, everywhere)
 */
public record Actor(String clientId, Optional<UUID> organizationId, Set<Permission> permissions) {

  public Actor {
    permissions = permissions.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(permissions));
  }

  public boolean isOperator() {
    return permissions.contains(Permission.ADMIN);
  }

  /** Whether the actor has the permission (the operator has every one). */
  public boolean may(Permission permission) {
    return isOperator() || permissions.contains(permission);
  }

  /** Whether the actor may see things of this organization: its own, or any for the operator. */
  public boolean canSee(UUID organization) {
    return isOperator() || organizationId.map(organization::equals).orElse(false);
  }

  /** A refusal for lacking the permission, or empty when the actor has it. */
  public <T> Optional<Result<T>> lacking(Permission permission) {
    return may(permission)
        ? Optional.empty()
        : Optional.of(new Result.Forbidden<>("This API client lacks the permission " + permission.scope() + "."));
  }
}
