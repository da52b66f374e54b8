package dev.backstop.server.api;

import dev.backstop.core.organization.NewApiClient;
import dev.backstop.core.organization.Permission;
import java.util.List;
import java.util.UUID;

/**
 * An API client just created: the only answer that ever holds its secret.
 *
 * @param permissions scopes such as {@code backups:read}
 */
public record NewApiClientView(String clientId, String clientSecret, String name, UUID organizationId, List<String> permissions) {

  static NewApiClientView of(NewApiClient created) {
    return new NewApiClientView(
        created.client().clientId(),
        created.secret(),
        created.client().name(),
        created.client().organizationId().orElse(null),
        created.client().orderedPermissions().stream().map(Permission::scope).toList());
  }

  @Override
  public String toString() {
    return "NewApiClientView[clientId=" + clientId + ", clientSecret=<redacted>, name=" + name + ", organizationId=" + organizationId
        + ", permissions=" + permissions + "]";
  }
}
