package dev.backstop.testbed;

import java.nio.file.Path;

/**
 * A second broker (with its embedded gateway) beside the test bed, running on a data directory
 * that the restore tool filled. It has no exporter and no backup store, so it can neither write
 * into the test bed's search nor touch the test bed's backups. Started by {@link
 * Testbed#startZeebeOn}.
 *
 * @param url the REST API, {@code http://127.0.0.1:PORT}
 * @param managementUrl the actuator endpoint (health, partitions)
 * @param grpcAddress the gRPC gateway, {@code 127.0.0.1:PORT}
 * @param dataDirectory the data directory it runs on
 * @param process the broker's process
 */
public record RestoredZeebe(
    String url, String managementUrl, String grpcAddress, Path dataDirectory, ManagedProcess process)
    implements AutoCloseable {

  /** Stops the broker; its data stays on disk. Safe to call more than once. */
  @Override
  public void close() {
    process.stop();
  }
}
