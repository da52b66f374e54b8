package dev.backstop.sandbox;

import dev.backstop.core.cluster.BackupLocation;
import dev.backstop.core.cluster.Cluster;
import dev.backstop.core.cluster.ComponentEndpoints;
import dev.backstop.core.cluster.Generation;
import dev.backstop.core.cluster.Preflight;
import dev.backstop.core.cluster.PreflightReport;
import dev.backstop.core.organization.Organization;
import dev.backstop.core.organization.Plan;
import dev.backstop.server.Regions;
import dev.backstop.testbed.S3Region;
import dev.backstop.server.persistence.JdbcClusters;
import dev.backstop.server.persistence.JdbcOrganizations;
import dev.backstop.testbed.Testbed;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the sandbox's cluster as {@value #CLUSTER_ID} in the ENTERPRISE organization {@value
 * #ORGANIZATION}, with a dual-region location over the test bed's two regions. Its endpoints are
 * updated at every start (the test bed's ports change); its backups and id history stay.
 */
public class SandboxRegistration {

  public static final String CLUSTER_ID = "sandbox";
  public static final String ORGANIZATION = "sandbox";

  private static final Logger LOG = LoggerFactory.getLogger(SandboxRegistration.class);

  private final JdbcOrganizations organizations;
  private final JdbcClusters clusters;
  private final Regions regions;
  private final Preflight preflight;
  private final Clock clock;

  public SandboxRegistration(JdbcOrganizations organizations, JdbcClusters clusters, Regions regions, Preflight preflight, Clock clock) {
    this.organizations = organizations;
    this.clusters = clusters;
    this.regions = regions;
    this.preflight = preflight;
    this.clock = clock;
  }

  /**
   * Registers (or updates) the cluster of a running test bed.
   *
   * @param runtimeDescriptor where to write the descriptor of its LOCAL_PROCESS runtime (inside
   *     {@code backstop.runtime.local-directory})
   */
  public void register(Testbed testbed, java.nio.file.Path runtimeDescriptor) {
    for (S3Region region : java.util.List.of(testbed.primaryRegion(), testbed.secondaryRegion())) {
      regions.add(
          region.name(),
          Regions.Region.of(region.endpoint(), region.bucket(), region.signingRegion(), true, region.accessKey(), region.secretKey()));
    }
    organizations.insert(new Organization(UUID.randomUUID(), ORGANIZATION, Plan.ENTERPRISE, clock.instant()));
    Organization organization = organizations.findByName(ORGANIZATION).orElseThrow();
    ComponentEndpoints endpoints =
        new ComponentEndpoints(
            testbed.zeebe().managementUrl(),
            Optional.of(testbed.operate().managementUrl()),
            Optional.of(testbed.tasklist().managementUrl()),
            Optional.empty(),
            new ComponentEndpoints.Search(
                testbed.searchUrl(), Testbed.SEARCH_REPOSITORY, ComponentEndpoints.Search.DEFAULT_RECORDS_INDEX_PREFIX));
    PreflightReport report = preflight.check(endpoints);
    Cluster.StorageLayout storage =
        new Cluster.StorageLayout(Testbed.ZEEBE_BASE_PATH, Testbed.SEARCH_BASE_PATH, Optional.of(Testbed.SECONDARY_SEARCH_REPOSITORY));
    Cluster.Runtime runtime = Cluster.Runtime.localProcess(testbed.writeRuntimeDescriptor(runtimeDescriptor).toString());
    if (clusters.findStored(CLUSTER_ID).isPresent()) {
      clusters.updateEndpoints(CLUSTER_ID, endpoints, report);
      clusters.updateRuntime(CLUSTER_ID, storage, runtime);
    } else {
      clusters.insert(
          new Cluster(
              CLUSTER_ID,
              CLUSTER_ID,
              organization.id(),
              Generation.parse(Testbed.CAMUNDA_VERSION),
              testbed.primaryRegion().name(),
              BackupLocation.dualRegion(testbed.secondaryRegion().name()),
              endpoints,
              storage,
              clock.instant(),
              runtime),
          report);
    }
    LOG.info("Sandbox cluster registered as '{}' (preflight {})", CLUSTER_ID, report.passed() ? "passed" : "found problems: " + report);
  }
}
