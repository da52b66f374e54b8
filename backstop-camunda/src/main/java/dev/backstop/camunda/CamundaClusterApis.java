package dev.backstop.camunda;

import dev.backstop.core.backup.Component;
import dev.backstop.core.cluster.ComponentEndpoints;
import dev.backstop.core.cluster.Generation;
import dev.backstop.core.procedure.ClusterApis;
import dev.backstop.core.procedure.SnapshotApi;
import dev.backstop.core.procedure.WebAppBackupApi;
import dev.backstop.core.procedure.ZeebeApi;
import java.util.Optional;

/**
 * The component APIs of one cluster, from its registered endpoints and its generation: the one
 * place that knows where each generation's backup endpoints are.
 *
 * <ul>
 *   <li>8.2–8.7: Zeebe's {@code /actuator/backups}; Operate's, Tasklist's and Optimize's own
 *       {@code /actuator/backups}, one backup each.
 *   <li>8.8: Zeebe's {@code /actuator/backupRuntime}; Operate and Tasklist share one history
 *       backup, {@code /actuator/backupHistory} on the orchestration cluster's management port
 *       (asked at Operate's registered management URL, else Tasklist's: in 8.8 they are one
 *       application with Zeebe), so both parts are answered with the same API instance and follow
 *       that one backup; Optimize keeps its {@code /actuator/backups} on its own port. Exporting
 *       is paused and resumed as before ({@code /actuator/exporting/…}).
 *   <li>8.9 and later: unknown (Admission refuses them); connecting fails.
 * </ul>
 *
 * The order of the steps per generation is the core procedure's ({@link
 * Generation#procedureFamily()}).
 */
public final class CamundaClusterApis implements ClusterApis {

  private final ZeebeApi zeebe;
  private final Optional<WebAppBackupApi> operate;
  private final Optional<WebAppBackupApi> tasklist;
  private final Optional<WebAppBackupApi> optimize;
  private final SnapshotApi search;

  /** A cluster of generation 8.2–8.7. */
  public CamundaClusterApis(JsonHttp shared, ComponentEndpoints endpoints) {
    this(shared, Generation.parse("8.7.0"), endpoints);
  }

  /**
   * @param shared the shared HTTP; the cluster's search credentials and CAs are added here
   * @throws UnsupportedOperationException for a generation newer than 8.8, whose endpoints are
   *     not known
   */
  public CamundaClusterApis(JsonHttp shared, Generation generation, ComponentEndpoints endpoints) {
    if (generation.newerThanSupported()) {
      throw new UnsupportedOperationException("backups of generation " + generation + " are not supported yet");
    }
    JsonHttp http = ComponentHttp.management(shared, endpoints);
    this.optimize = endpoints.optimizeManagementUrl().map(url -> new WebAppManagementClient(http, WebAppManagementClient.App.OPTIMIZE, url));
    this.search = new SearchSnapshotClient(ComponentHttp.search(shared, endpoints.search()), endpoints.search().url(), endpoints.search().repository());
    if (generation.procedureFamily() == Generation.ProcedureFamily.WEB_APPS_FIRST) {
      this.zeebe = new ZeebeManagementClient(http, endpoints.zeebeManagementUrl(), ZeebeManagementClient.BACKUPS);
      this.operate = endpoints.operateManagementUrl().map(url -> new WebAppManagementClient(http, WebAppManagementClient.App.OPERATE, url));
      this.tasklist = endpoints.tasklistManagementUrl().map(url -> new WebAppManagementClient(http, WebAppManagementClient.App.TASKLIST, url));
    } else {
      this.zeebe = new ZeebeManagementClient(http, endpoints.zeebeManagementUrl(), ZeebeManagementClient.RUNTIME_BACKUPS);
      Optional<WebAppBackupApi> history =
          endpoints.operateManagementUrl().or(endpoints::tasklistManagementUrl)
              .map(url -> new WebAppManagementClient(http, WebAppManagementClient.App.HISTORY, url));
      // One instance for both: the procedure starts and awaits it once, and both parts follow it.
      this.operate = endpoints.operateManagementUrl().flatMap(url -> history);
      this.tasklist = endpoints.tasklistManagementUrl().flatMap(url -> history);
    }
  }

  @Override
  public ZeebeApi zeebe() {
    return zeebe;
  }

  @Override
  public Optional<WebAppBackupApi> webApp(Component component) {
    return switch (component) {
      case OPERATE -> operate;
      case TASKLIST -> tasklist;
      case OPTIMIZE -> optimize;
      case ZEEBE, ZEEBE_RECORDS -> Optional.empty();
    };
  }

  @Override
  public SnapshotApi search() {
    return search;
  }
}
