/**
 * The backup runtime: wiring of the core's use cases and procedure to the Camunda adapters and the
 * database, the worker threads, lease renewal and the takeover of abandoned work.
 */
package dev.backstop.server.backup;
