package dev.backstop.testbed;

/**
 * A second, empty OpenSearch node beside the test bed, whose S3 client points at one region and
 * which knows that region's snapshots only through a read-only repository: what a restore into a
 * new search cluster sees. Started by {@link Testbed#startFreshSearch}.
 *
 * @param url its HTTP endpoint, {@code http://127.0.0.1:PORT}
 * @param repository the read-only snapshot repository ({@value Testbed#SEARCH_REPOSITORY}, base path
 *     {@value Testbed#SEARCH_BASE_PATH} in the region's bucket)
 * @param region the region whose bucket the repository reads
 * @param process the node's process
 */
public record FreshSearch(String url, String repository, S3Region region, ManagedProcess process)
    implements AutoCloseable {

  /** Stops the node; its data stays on disk. Safe to call more than once. */
  @Override
  public void close() {
    process.stop();
  }
}
