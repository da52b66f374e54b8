package dev.backstop.core.organization;

import java.time.Instant;
import java.util.UUID;

/** A tenant: owns clusters and API clients; its plan decides whether it may use backups. */
public record Organization(UUID id, String name, Plan plan, Instant createdAt) {}
