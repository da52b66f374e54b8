package dev.backstop.server.api;

import dev.backstop.core.cluster.Cluster;
import dev.backstop.core.cluster.ComponentEndpoints;
import dev.backstop.core.cluster.PreflightReport;
import dev.backstop.core.cluster.SearchAuth;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.LinkedHashMap;

/**
 * A cluster as the API shows it: what was registered, its {@code uuid}, its preflight report and
 * the components whose reported version differs from the registered generation.
 */
public record ClusterView(
    String uuid,
    String name,
    String organizationId,
    String generation,
    String region,
    Map<String, Object> backupLocation,
    Map<String, Object> components,
    Map<String, Object> storage,
    Map<String, Object> runtime,
    String state,
    PreflightReport preflight,
    List<String> generationMismatches,
    Instant createdAt) {

  private static Map<String, Object> storage(Cluster.StorageLayout layout) {
    Map<String, Object> storage = new LinkedHashMap<>();
    storage.put("zeebeBasePath", layout.zeebeBasePath());
    storage.put("searchBasePath", layout.searchBasePath());
    layout.secondarySearchRepository().ifPresent(r -> storage.put("secondarySearchRepository", r));
    return storage;
  }

  private static Map<String, Object> runtime(Cluster.Runtime runtime) {
    Map<String, Object> view = new LinkedHashMap<>();
    // Only the type: a LOCAL_PROCESS descriptor's path is the operator's business, not the tenant's.
    view.put("type", runtime.type().name());
    return view;
  }

  /** The search engine as registered, its credentials shown by kind and username only: never the password or key. */
  private static Map<String, Object> search(ComponentEndpoints.Search search) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("url", search.url());
    view.put("repository", search.repository());
    view.put("recordsIndexPrefix", search.recordsIndexPrefix());
    search.auth().ifPresent(auth -> view.put("auth", switch (auth) {
      case SearchAuth.Basic basic -> Map.of("type", "basic", "username", basic.username());
      case SearchAuth.ApiKey apiKey -> Map.of("type", "apiKey");
    }));
    // certificates are public: shown as given
    search.caCertificate().ifPresent(pem -> view.put("caCertificate", pem));
    return view;
  }

  public static ClusterView of(Cluster cluster, PreflightReport preflight, boolean deleting) {
    Map<String, Object> location = new LinkedHashMap<>();
    location.put("type", cluster.location().type().name());
    cluster.location().secondaryRegion().ifPresent(region -> location.put("secondaryRegion", region));
    Map<String, Object> components = new LinkedHashMap<>();
    components.put("zeebe", Map.of("managementUrl", cluster.components().zeebeManagementUrl()));
    cluster.components().operateManagementUrl().ifPresent(url -> components.put("operate", Map.of("managementUrl", url)));
    cluster.components().tasklistManagementUrl().ifPresent(url -> components.put("tasklist", Map.of("managementUrl", url)));
    cluster.components().optimizeManagementUrl().ifPresent(url -> components.put("optimize", Map.of("managementUrl", url)));
    components.put("search", search(cluster.components().search()));
    cluster.components().managementCaCertificate().ifPresent(pem -> components.put("managementCaCertificate", pem));
    return new ClusterView(
        cluster.id(),
        cluster.name(),
        cluster.organizationId().toString(),
        cluster.generation().toString(),
        cluster.region(),
        location,
        components,
        storage(cluster.storage()),
        runtime(cluster.runtime()),
        deleting ? "DELETING" : "ACTIVE",
        preflight,
        // What the last preflight (at registration or a generation change) found running, against
        // the registered generation; backups and restores check the components again themselves.
        preflight == null ? List.of() : cluster.generation().mismatchesWith(preflight.camundaVersions()),
        cluster.createdAt());
  }
}
