/** Tenants: organizations, their plans, and the permissions of their API clients. */
package dev.backstop.core.organization;
