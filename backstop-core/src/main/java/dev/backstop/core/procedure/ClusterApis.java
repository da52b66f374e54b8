package dev.backstop.core.procedure;

import dev.backstop.core.backup.Component;
import java.util.Optional;

/** The component APIs of one cluster, as the procedures use them. */
public interface ClusterApis {

  ZeebeApi zeebe();

  /**
   * Operate, Tasklist or Optimize, if the cluster has it. Components answered with the same
   * instance share one backup (8.8's history backup of Operate and Tasklist): the procedure starts
   * and awaits it once, and each of their parts follows it.
   */
  Optional<WebAppBackupApi> webApp(Component component);

  /** The snapshot API of the cluster's search engine, on its backup repository. */
  SnapshotApi search();
}
