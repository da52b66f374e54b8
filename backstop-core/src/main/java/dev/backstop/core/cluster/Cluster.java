package dev.backstop.core.cluster;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
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
 * @param runtime how its components are stopped, started and restored ({@link Runtime})
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
    Instant createdAt,
    Runtime runtime) {

  public Cluster {
    Objects.requireNonNull(runtime, "runtime");
  }

  /** A cluster whose components Backstop does not control: a restore waits for the operator. */
  public Cluster(
      String id,
      String name,
      UUID organizationId,
      Generation generation,
      String region,
      BackupLocation location,
      ComponentEndpoints components,
      StorageLayout storage,
      Instant createdAt) {
    this(id, name, organizationId, generation, region, location, components, storage, createdAt, Runtime.MANUAL);
  }

  /**
   * How a restore stops, starts and restores the cluster's components.
   *
   * @param type {@code MANUAL}: the operator does it when asked, and confirms; {@code
   *     LOCAL_PROCESS}: Backstop runs the components' processes on its own machine, as the
   *     descriptor file says (the test bed and the sandbox)
   * @param descriptor for {@code LOCAL_PROCESS}: the path of the descriptor file
   */
  public record Runtime(Type type, Optional<String> descriptor) {
    public static final Runtime MANUAL = new Runtime(Type.MANUAL, Optional.empty());

    public enum Type {
      MANUAL,
      LOCAL_PROCESS
    }

    public Runtime {
      Objects.requireNonNull(type, "type");
      descriptor = descriptor == null ? Optional.empty() : descriptor;
      if ((type == Type.LOCAL_PROCESS) != descriptor.isPresent()) {
        throw new IllegalArgumentException("a descriptor goes with LOCAL_PROCESS, and only with it");
      }
    }

    public static Runtime localProcess(String descriptor) {
      return new Runtime(Type.LOCAL_PROCESS, Optional.of(descriptor));
    }
  }

  /**
   * @param zeebeBasePath the base path of the Zeebe backup store in the region's bucket
   * @param searchBasePath the base path of the search snapshot repository in the region's bucket
   * @param secondarySearchRepository for a dual-region cluster: the name of a (read-only)
   *     snapshot repository the cluster's search engine has on the secondary region's bucket, that a
   *     restore from the secondary region reads
   */
  public record StorageLayout(String zeebeBasePath, String searchBasePath, Optional<String> secondarySearchRepository) {
    public StorageLayout {
      secondarySearchRepository = secondarySearchRepository == null ? Optional.empty() : secondarySearchRepository;
    }

    public StorageLayout(String zeebeBasePath, String searchBasePath) {
      this(zeebeBasePath, searchBasePath, Optional.empty());
    }
  }

  /**
   * The parts a backup of this cluster consists of. Generations 8.2–8.7 always snapshot the
   * exported records. 8.8's exporter writes straight into the web apps' indices, so the records
   * snapshot is needed only for what still reads the records indices: Optimize, or the legacy
   * Elasticsearch/OpenSearch exporter. A registration does not say whether the legacy exporter
   * runs; Optimize needs it, so an 8.8 cluster's backup snapshots the records when it has Optimize.
   */
  public Set<Component> backupComponents() {
    Set<Component> parts = EnumSet.of(Component.ZEEBE);
    boolean recordsNeeded =
        generation.procedureFamily() == Generation.ProcedureFamily.WEB_APPS_FIRST || components.optimizeManagementUrl().isPresent();
    if (recordsNeeded) {
      parts.add(Component.ZEEBE_RECORDS);
    }
    components.operateManagementUrl().ifPresent(url -> parts.add(Component.OPERATE));
    components.tasklistManagementUrl().ifPresent(url -> parts.add(Component.TASKLIST));
    components.optimizeManagementUrl().ifPresent(url -> parts.add(Component.OPTIMIZE));
    return parts;
  }
}
