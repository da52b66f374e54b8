package dev.backstop.server.api;

import dev.backstop.core.organization.Organization;
import java.time.Instant;
import java.util.UUID;

/** An organization as the API shows it. */
public record OrganizationView(UUID id, String name, String plan, Instant createdAt) {

  static OrganizationView of(Organization organization) {
    return new OrganizationView(organization.id(), organization.name(), organization.plan().name(), organization.createdAt());
  }
}
