/**
 * The backup runtime: wiring of the core's use cases and procedure to the Camunda adapters, the
 * database and the operation engine; cluster registration and deletion; the housekeeping task.
 */
package dev.backstop.server.backup;
