package dev.backstop.core.organization;

import java.util.Optional;

/** What an API client may do. {@link #ADMIN} is the operator's: everything, in every organization. */
public enum Permission {
  BACKUPS_READ("backups:read"),
  BACKUPS_WRITE("backups:write"),
  BACKUPS_RESTORE("backups:restore"),
  CLUSTERS_READ("clusters:read"),
  CLUSTERS_WRITE("clusters:write"),
  AUDIT_READ("audit:read"),
  WEBHOOKS_READ("webhooks:read"),
  WEBHOOKS_WRITE("webhooks:write"),
  ADMIN("admin");

  private final String scope;

  Permission(String scope) {
    this.scope = scope;
  }

  /** The permission's name on the wire, e.g. {@code backups:read}. */
  public String scope() {
    return scope;
  }

  public static Optional<Permission> fromScope(String scope) {
    for (Permission permission : values()) {
      if (permission.scope.equals(scope)) {
        return Optional.of(permission);
      }
    }
    return Optional.empty();
  }
}
