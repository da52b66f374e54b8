package dev.backstop.server.api;

/** The body of {@code POST /clusters}; every field is checked by {@link ClusterController}. */
public record ClusterRequest(
    String name,
    String organizationId,
    String generation,
    String region,
    Location backupLocation,
    Components components,
    Storage storage,
    Runtime runtime) {

  public record Location(String type, String secondaryRegion) {}

  /** {@code managementCaCertificate}: PEM, the CA(s) the https management endpoints are checked against. */
  public record Components(Endpoint zeebe, Endpoint operate, Endpoint tasklist, Endpoint optimize, Search search, String managementCaCertificate) {}

  public record Endpoint(String managementUrl) {}

  /** {@code caCertificate}: PEM, the CA(s) an https search URL is checked against. */
  public record Search(String url, String repository, String recordsIndexPrefix, Auth auth, String caCertificate) {}

  /** {@code {type: basic, username, password}} or {@code {type: apiKey, key}}. */
  public record Auth(String type, String username, String password, String key) {
    @Override
    public String toString() {
      return "Auth[type=" + type + ", username=" + username + ", password=<redacted>, key=<redacted>]";
    }
  }

  public record Storage(String zeebeBasePath, String searchBasePath, String secondarySearchRepository) {}

  /** How a restore stops, starts and restores the components: MANUAL (default) or LOCAL_PROCESS with a descriptor. */
  public record Runtime(String type, String descriptor) {}
}
