/**
 * Backstop's domain and use cases: clusters, backups, policies, schedules and restores, and the
 * procedures that take and restore a consistent backup of a whole Camunda 8 cluster.
 *
 * <p>Plain Java: no Spring, no HTTP, no SQL. Everything outside (the components' APIs, object
 * stores, persistence, the clock) is reached through ports, small interfaces defined here and
 * implemented by the adapter modules. Dependencies point inward: server, camunda and storage
 * depend on core; core depends on none of them.
 */
package dev.backstop.core;
