/**
 * Persistence: PostgreSQL, embedded by default (a real server from Maven-shipped binaries, its
 * data under the data directory) or external through {@code spring.datasource.*}; the schema is
 * owned by Flyway migrations in {@code db/migration}.
 */
package dev.backstop.server.persistence;
