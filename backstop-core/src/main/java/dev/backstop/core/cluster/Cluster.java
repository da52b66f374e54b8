package dev.backstop.core.cluster;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;
import dev.backstop.core.backup.Component;

/**
 * A Camunda 8 cluster registered with Backstop.
 *
 * @param id the cluster's id in the API ({@code clusterId}); also its {@code uuid}
 * @param name a name unique within its organization
 * @param organizationId the organization (tenant) that owns it
 * @param generation the Camunda version it runs
 * @param region the region it lives in, where its backups are written
 * @param location where its backups are kept
 * @param components how its components are reached
 * @param storage where its Zeebe backup store and search snapshot repository keep their files
 * @param createdAt when it was registered
 */
public record Cluster(
    String id,
    String name,
    UUID organizationId,
    Generation generation,
    String region,
    BackupLocation location,
    ComponentEndpoints components,
    StorageLayout storage,
    Instant createdAt) {

  /**
   * @param zeebeBasePath the base path of the Zeebe backup store in the region's bucket
   * @param searchBasePath the base path of the search snapshot repository in the region's bucket
   */
  public record StorageLayout(String zeebeBasePath, String searchBasePath) {}

  /** The parts a backup of this cluster consists of. */
  public Set<Component> backupComponents() {
    Set<Component> parts = EnumSet.of(Component.ZEEBE, Component.ZEEBE_RECORDS);
    components.operateManagementUrl().ifPresent(url -> parts.add(Component.OPERATE));
    components.tasklistManagementUrl().ifPresent(url -> parts.add(Component.TASKLIST));
    components.optimizeManagementUrl().ifPresent(url -> parts.add(Component.OPTIMIZE));
    return parts;
  }
}
