package dev.backstop.server.security;

import dev.backstop.core.organization.Permission;
import dev.backstop.core.usecase.Actor;
import dev.backstop.server.api.ApiProblem;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * Who is calling: an API client of an organization, or the operator. Built from the verified
 * access token.
 *
 * @param clientId the API client
 * @param organizationId its organization; empty for the operator
 * @param permissions what it may do
 */
public record Caller(String clientId, Optional<UUID> organizationId, Set<Permission> permissions) {

  static final String ORGANIZATION_CLAIM = "org";
  static final String PERMISSIONS_CLAIM = "permissions";

  /** The caller of the current request. */
  public static Caller current() {
    if (!(SecurityContextHolder.getContext().getAuthentication() instanceof JwtAuthenticationToken token)) {
      throw new IllegalStateException("no authenticated caller");
    }
    return of(token.getToken());
  }

  static Caller of(Jwt jwt) {
    Set<Permission> permissions = EnumSet.noneOf(Permission.class);
    List<String> scopes = Optional.ofNullable(jwt.getClaimAsStringList(PERMISSIONS_CLAIM)).orElse(List.of());
    scopes.forEach(scope -> Permission.fromScope(scope).ifPresent(permissions::add));
    Optional<UUID> organization = Optional.ofNullable(jwt.getClaimAsString(ORGANIZATION_CLAIM)).map(UUID::fromString);
    return new Caller(jwt.getSubject(), organization, permissions);
  }

  /** The caller as the use cases know it. */
  public Actor actor() {
    return new Actor(clientId, organizationId, permissions);
  }

  public boolean isOperator() {
    return actor().isOperator();
  }

  /** @throws ApiProblem 403 unless the caller has the permission (the operator has every one) */
  public void require(Permission permission) {
    if (!actor().may(permission)) {
      throw ApiProblem.forbidden("This API client lacks the permission " + permission.scope() + ".");
    }
  }

  /** Whether the caller may see things of this organization (its own, or any for the operator). */
  public boolean canSee(UUID organization) {
    return actor().canSee(organization);
  }
}
