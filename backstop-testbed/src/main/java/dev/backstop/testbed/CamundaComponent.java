package dev.backstop.testbed;

/**
 * A running Camunda component with its own management (actuator) endpoint.
 *
 * @param name {@code zeebe}, {@code operate} or {@code tasklist}
 * @param url the component's main HTTP endpoint (Zeebe: the REST API; Operate/Tasklist: web app and API)
 * @param managementUrl the actuator endpoint (backups, exporting, health)
 * @param process the process, to stop, kill and start it again on the same data
 */
public record CamundaComponent(String name, String url, String managementUrl, ManagedProcess process) {}
