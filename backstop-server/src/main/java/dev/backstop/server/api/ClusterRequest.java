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

  public record Components(Endpoint zeebe, Endpoint operate, Endpoint tasklist, Endpoint optimize, Search search) {}

  public record Endpoint(String managementUrl) {}

  public record Search(String url, String repository, String recordsIndexPrefix) {}

  public record Storage(String zeebeBasePath, String searchBasePath, String secondarySearchRepository) {}

  /** How a restore stops, starts and restores the components: MANUAL (default) or LOCAL_PROCESS with a descriptor. */
  public record Runtime(String type, String descriptor) {}
}
