package dev.backstop.core.cluster;

import java.util.Optional;

/**
 * How Backstop reaches a cluster's components: their management (actuator) endpoints, and the
 * search engine with the snapshot repository the web apps and the records snapshot use.
 *
 * @param zeebeManagementUrl Zeebe's management endpoint (port 9600 by default)
 * @param operateManagementUrl Operate's, if the cluster has Operate
 * @param tasklistManagementUrl Tasklist's, if the cluster has Tasklist
 * @param optimizeManagementUrl Optimize's, if the cluster has Optimize
 * @param search the search engine
 */
public record ComponentEndpoints(
    String zeebeManagementUrl,
    Optional<String> operateManagementUrl,
    Optional<String> tasklistManagementUrl,
    Optional<String> optimizeManagementUrl,
    Search search) {

  /**
   * @param url the search engine's HTTP endpoint
   * @param repository the snapshot repository's name
   * @param recordsIndexPrefix the prefix of the exported records' indices ({@code zeebe-record} unless changed)
   */
  public record Search(String url, String repository, String recordsIndexPrefix) {
    public static final String DEFAULT_RECORDS_INDEX_PREFIX = "zeebe-record";
  }
}
