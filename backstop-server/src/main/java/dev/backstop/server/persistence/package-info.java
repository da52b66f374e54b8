/**
 * Persistence: PostgreSQL, embedded by default (a real server from Maven-shipped binaries, its
 * data under the data directory, run durably: fsync and synchronous commit on) or external through
 * {@code spring.datasource.*}; the schema is owned by Flyway migrations in {@code db/migration}.
 * The JDBC classes implement the core's ports. Secrets Backstop must present again (a search
 * engine's password or API key) are stored sealed ({@link dev.backstop.server.persistence.ComponentSecrets}).
 */
package dev.backstop.server.persistence;
