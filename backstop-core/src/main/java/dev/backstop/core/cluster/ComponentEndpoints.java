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
 * @param managementCaCertificate the CA certificates (PEM) that https management endpoints are
 *     checked against instead of the JDK's default ones; empty: the JDK's
 */
public record ComponentEndpoints(
    String zeebeManagementUrl,
    Optional<String> operateManagementUrl,
    Optional<String> tasklistManagementUrl,
    Optional<String> optimizeManagementUrl,
    Search search,
    Optional<String> managementCaCertificate) {

  public ComponentEndpoints {
    // absent in what was stored before there were certificates
    managementCaCertificate = managementCaCertificate == null ? Optional.empty() : managementCaCertificate;
  }

  /** Endpoints reached over plain HTTP or with the JDK's default trust. */
  public ComponentEndpoints(
      String zeebeManagementUrl, Optional<String> operateManagementUrl, Optional<String> tasklistManagementUrl,
      Optional<String> optimizeManagementUrl, Search search) {
    this(zeebeManagementUrl, operateManagementUrl, tasklistManagementUrl, optimizeManagementUrl, search, Optional.empty());
  }

  /** The same endpoints with the search engine's credentials replaced (or removed with empty). */
  public ComponentEndpoints withSearchAuth(Optional<SearchAuth> auth) {
    return new ComponentEndpoints(
        zeebeManagementUrl, operateManagementUrl, tasklistManagementUrl, optimizeManagementUrl, search.withAuth(auth), managementCaCertificate);
  }

  /**
   * @param url the search engine's HTTP endpoint
   * @param repository the snapshot repository's name
   * @param recordsIndexPrefix the prefix of the exported records' indices ({@code zeebe-record} unless changed)
   * @param auth the credentials every request to it carries, if it asks for any
   * @param caCertificate the CA certificates (PEM) its https endpoint is checked against instead
   *     of the JDK's default ones; empty: the JDK's
   */
  public record Search(String url, String repository, String recordsIndexPrefix, Optional<SearchAuth> auth, Optional<String> caCertificate) {
    public static final String DEFAULT_RECORDS_INDEX_PREFIX = "zeebe-record";

    public Search {
      // absent in what was stored before there were credentials and certificates
      auth = auth == null ? Optional.empty() : auth;
      caCertificate = caCertificate == null ? Optional.empty() : caCertificate;
    }

    /** A search engine without credentials, reached over plain HTTP or with the JDK's default trust. */
    public Search(String url, String repository, String recordsIndexPrefix) {
      this(url, repository, recordsIndexPrefix, Optional.empty(), Optional.empty());
    }

    public Search withAuth(Optional<SearchAuth> newAuth) {
      return new Search(url, repository, recordsIndexPrefix, newAuth, caCertificate);
    }
  }
}
