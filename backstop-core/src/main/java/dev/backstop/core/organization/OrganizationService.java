package dev.backstop.core.organization;

import dev.backstop.core.usecase.Actor;
import dev.backstop.core.usecase.FieldError;
import dev.backstop.core.usecase.Result;
import dev.backstop.core.usecase.Validation;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The operator's use cases for tenants: organizations and their API clients. Every one needs
 * {@link Permission#ADMIN}; checks run in this order: permission (forbidden), what the request is
 * about (not found), input (invalid, every error at once), clashes (conflict).
 */
public final class OrganizationService {

  /** The permissions an organization's client may have: all but the operator's. */
  static final String CLIENT_PERMISSIONS = "backups:read, backups:write, backups:restore, clusters:read, clusters:write, audit:read, webhooks:read, webhooks:write";

  private final Organizations organizations;
  private final SecretHasher hasher;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  public OrganizationService(Organizations organizations, SecretHasher hasher, Clock clock) {
    this.organizations = organizations;
    this.hasher = hasher;
    this.clock = clock;
  }

  /** Creates an organization; a name is unique (a taken one is a conflict naming {@code name}). */
  public Result<Organization> create(Actor actor, String name, String plan) {
    Optional<Result<Organization>> refused = actor.lacking(Permission.ADMIN);
    if (refused.isPresent()) {
      return refused.get();
    }
    Validation v = new Validation();
    v.required("name", name);
    Plan parsedPlan = v.required("plan", plan) ? v.parse("plan", plan, OrganizationService::plan) : null;
    return v.orElse(
        () -> {
          Organization organization = new Organization(UUID.randomUUID(), name, parsedPlan, clock.instant());
          if (!organizations.insert(organization)) {
            return new Result.Conflict<>(
                "An organization named '" + name + "' exists.", List.of(new FieldError("name", "an organization of this name exists")));
          }
          return Result.ok(organization);
        });
  }

  /** Every organization, by name. */
  public Result<List<Organization>> list(Actor actor) {
    return actor.<List<Organization>>lacking(Permission.ADMIN).orElseGet(() -> Result.ok(organizations.list()));
  }

  /**
   * Creates an API client of an organization with a new id and secret; the secret is in this
   * answer and nowhere else, ever (only its hash is kept).
   *
   * @param permissions scopes such as {@code backups:read}; the operator's {@code admin} is not one
   */
  public Result<NewApiClient> createClient(Actor actor, UUID organizationId, String name, List<String> permissions) {
    Optional<Result<NewApiClient>> refused = actor.lacking(Permission.ADMIN);
    if (refused.isPresent()) {
      return refused.get();
    }
    if (organizations.find(organizationId).isEmpty()) {
      return Result.notFound("No organization " + organizationId + ".");
    }
    Validation v = new Validation();
    v.required("name", name);
    Set<Permission> granted = EnumSet.noneOf(Permission.class);
    if (v.required("permissions", permissions)) {
      for (int i = 0; i < permissions.size(); i++) {
        String scope = permissions.get(i);
        Optional<Permission> permission = scope == null ? Optional.empty() : Permission.fromScope(scope).filter(p -> p != Permission.ADMIN);
        permission.ifPresent(granted::add);
        if (permission.isEmpty()) {
          v.add("permissions[" + i + "]", "must be one of " + CLIENT_PERMISSIONS);
        }
      }
    }
    return v.orElse(
        () -> {
          ApiClient client = new ApiClient("bks-" + token(12), name, Optional.of(organizationId), granted);
          String secret = token(32);
          organizations.insertClient(client, hasher.hash(secret), clock.instant());
          return Result.ok(new NewApiClient(client, secret));
        });
  }

  /** Deletes an organization's API client; its tokens stop working at once. */
  public Result<Result.Done> deleteClient(Actor actor, UUID organizationId, String clientId) {
    Optional<Result<Result.Done>> refused = actor.lacking(Permission.ADMIN);
    if (refused.isPresent()) {
      return refused.get();
    }
    return organizations.deleteClient(organizationId, clientId)
        ? Result.ok(Result.Done.DONE)
        : Result.notFound("No client " + clientId + " in organization " + organizationId + ".");
  }

  private static Plan plan(String text) {
    try {
      return Plan.valueOf(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("must be one of " + Arrays.toString(Plan.values()));
    }
  }

  private String token(int bytes) {
    byte[] value = new byte[bytes];
    random.nextBytes(value);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
  }
}
