package dev.backstop.server.restore;

import dev.backstop.core.backup.BackupId;
import dev.backstop.core.cluster.Cluster;
import dev.backstop.core.restore.ClusterRuntime;
import dev.backstop.server.Regions;
import java.util.ArrayList;
import java.util.List;

/**
 * The runtime of a cluster Backstop does not control: every call asks the operator, in words that
 * say exactly what to do; the restore waits until the operator confirms the phase through the API.
 */
final class ManualRuntime implements ClusterRuntime {

  private final Regions regions;

  ManualRuntime(Regions regions) {
    this.regions = regions;
  }

  @Override
  public Step stopComponents(Cluster cluster) {
    return new AwaitOperator(
        "Stop " + String.join(", ", components(cluster)) + " (scale them to zero); keep the search engine ("
            + cluster.components().search().url() + ") running. Then confirm phase STOP_COMPONENTS.");
  }

  @Override
  public Step restoreBrokers(Cluster cluster, BackupId id, String sourceRegion) {
    String store =
        regions.views().stream()
            .filter(region -> region.name().equals(sourceRegion))
            .findFirst()
            .map(region -> "bucket " + region.bucket() + " at " + region.endpoint())
            .orElse("region " + sourceRegion);
    return new AwaitOperator(
        "On every broker: empty its data directory, then run Camunda's restore tool, bin/restore --backupId=" + id
            + ", with the broker's own node id, cluster size, partition count and replication factor, and the backup store set to "
            + store + ", base path " + cluster.storage().zeebeBasePath()
            + " (ZEEBE_BROKER_DATA_BACKUP_S3_BUCKETNAME, _ENDPOINT, _BASEPATH); it logs \"Successfully restored broker from backup\"."
            + " Then confirm phase RESTORE_ZEEBE.");
  }

  @Override
  public Step startComponents(Cluster cluster) {
    return new AwaitOperator(
        "Start Zeebe, then " + String.join(", ", components(cluster).subList(1, components(cluster).size()))
            + ", with their usual configuration. Then confirm phase START_COMPONENTS; Backstop then verifies the cluster.");
  }

  private static List<String> components(Cluster cluster) {
    List<String> names = new ArrayList<>(List.of("Zeebe (" + cluster.components().zeebeManagementUrl() + ")"));
    cluster.components().operateManagementUrl().ifPresent(url -> names.add("Operate (" + url + ")"));
    cluster.components().tasklistManagementUrl().ifPresent(url -> names.add("Tasklist (" + url + ")"));
    cluster.components().optimizeManagementUrl().ifPresent(url -> names.add("Optimize (" + url + ")"));
    return names;
  }
}
