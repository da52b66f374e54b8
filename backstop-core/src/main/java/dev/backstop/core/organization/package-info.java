/**
 * Tenants: organizations, their plans, and their API clients with permissions. {@link
 * dev.backstop.core.organization.OrganizationService} holds the operator's use cases (create and
 * list organizations, create and delete clients); the {@link
 * dev.backstop.core.organization.Organizations} port keeps them, the {@link
 * dev.backstop.core.organization.SecretHasher} port hashes client secrets.
 */
package dev.backstop.core.organization;
