package dev.backstop.server.api;

import dev.backstop.core.cluster.Cluster;
import dev.backstop.core.cluster.PreflightReport;
import java.time.Instant;
import java.util.Map;
import java.util.LinkedHashMap;

/** A cluster as the API shows it: what was registered, its {@code uuid} and its preflight report. */
public record ClusterView(
    String uuid,
    String name,
    String organizationId,
    String generation,
    String region,
    Map<String, Object> backupLocation,
    Map<String, Object> components,
    Map<String, Object> storage,
    String state,
    PreflightReport preflight,
    Instant createdAt) {

  public static ClusterView of(Cluster cluster, PreflightReport preflight, boolean deleting) {
    Map<String, Object> location = new LinkedHashMap<>();
    location.put("type", cluster.location().type().name());
    cluster.location().secondaryRegion().ifPresent(region -> location.put("secondaryRegion", region));
    Map<String, Object> components = new LinkedHashMap<>();
    components.put("zeebe", Map.of("managementUrl", cluster.components().zeebeManagementUrl()));
    cluster.components().operateManagementUrl().ifPresent(url -> components.put("operate", Map.of("managementUrl", url)));
    cluster.components().tasklistManagementUrl().ifPresent(url -> components.put("tasklist", Map.of("managementUrl", url)));
    cluster.components().optimizeManagementUrl().ifPresent(url -> components.put("optimize", Map.of("managementUrl", url)));
    components.put(
        "search",
        Map.of(
            "url", cluster.components().search().url(),
            "repository", cluster.components().search().repository(),
            "recordsIndexPrefix", cluster.components().search().recordsIndexPrefix()));
    return new ClusterView(
        cluster.id(),
        cluster.name(),
        cluster.organizationId().toString(),
        cluster.generation().toString(),
        cluster.region(),
        location,
        components,
        Map.of("zeebeBasePath", cluster.storage().zeebeBasePath(), "searchBasePath", cluster.storage().searchBasePath()),
        deleting ? "DELETING" : "ACTIVE",
        preflight,
        cluster.createdAt());
  }
}
