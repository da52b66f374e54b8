/**
 * The sandbox: Backstop's server with a real local Camunda 8 cluster (the test bed) started next to
 * it and stopped with it, so that a new user can try Backstop within minutes of cloning. {@link
 * dev.backstop.sandbox.BackstopSandboxApplication} is the server's application plus {@link
 * dev.backstop.sandbox.SandboxConfiguration}; the server itself knows nothing of the test bed.
 */
package dev.backstop.sandbox;
