package dev.backstop.core.restore;

import dev.backstop.core.backup.BackupId;
import dev.backstop.core.cluster.Cluster;
import java.util.List;
import java.util.Optional;

/** Checks what a region's object store holds of a backup, without any component's help. */
public interface BackupInventory {

  /**
   * Zeebe's part of backup {@code id} in {@code region}'s copy of the cluster's backup store.
   *
   * @param partitions how many partitions the backup says the cluster has (0 when no manifest was found)
   * @param brokerVersion the Zeebe version that took it, as its manifests say
   * @param problems what is missing or incomplete; empty when every partition's manifest is
   *     COMPLETED and every file it lists is present
   */
  record ZeebeCopy(int partitions, Optional<String> brokerVersion, List<String> problems) {
    public ZeebeCopy {
      problems = List.copyOf(problems);
    }

    public boolean complete() {
      return partitions > 0 && problems.isEmpty();
    }
  }

  /**
   * Reads the manifests of backup {@code id} in {@code region}. Read-only.
   *
   * @throws RuntimeException when the region's store cannot be read
   */
  ZeebeCopy zeebe(Cluster cluster, String region, BackupId id);
}
