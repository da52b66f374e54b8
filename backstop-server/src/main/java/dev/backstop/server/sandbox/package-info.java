/**
 * The sandbox ({@code BACKSTOP_SANDBOX=true}): a real local Camunda 8 cluster started next to the
 * server and stopped with it, so that a new user can try Backstop within minutes of cloning.
 */
package dev.backstop.server.sandbox;
