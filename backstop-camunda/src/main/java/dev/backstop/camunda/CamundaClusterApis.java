package dev.backstop.camunda;

import dev.backstop.core.backup.Component;
import dev.backstop.core.cluster.ComponentEndpoints;
import dev.backstop.core.procedure.ClusterApis;
import dev.backstop.core.procedure.SnapshotApi;
import dev.backstop.core.procedure.WebAppBackupApi;
import dev.backstop.core.procedure.ZeebeApi;
import java.util.Optional;

/** The component APIs of one cluster of generation 8.2–8.7, from its registered endpoints. */
public final class CamundaClusterApis implements ClusterApis {

  private final ZeebeApi zeebe;
  private final Optional<WebAppBackupApi> operate;
  private final Optional<WebAppBackupApi> tasklist;
  private final Optional<WebAppBackupApi> optimize;
  private final SnapshotApi search;

  /** @param http the shared HTTP; the cluster's credentials and CAs are added here */
  public CamundaClusterApis(JsonHttp shared, ComponentEndpoints endpoints) {
    JsonHttp http = ComponentHttp.management(shared, endpoints);
    this.zeebe = new ZeebeManagementClient(http, endpoints.zeebeManagementUrl());
    this.operate = endpoints.operateManagementUrl().map(url -> new WebAppManagementClient(http, WebAppManagementClient.App.OPERATE, url));
    this.tasklist = endpoints.tasklistManagementUrl().map(url -> new WebAppManagementClient(http, WebAppManagementClient.App.TASKLIST, url));
    this.optimize = endpoints.optimizeManagementUrl().map(url -> new WebAppManagementClient(http, WebAppManagementClient.App.OPTIMIZE, url));
    this.search = new SearchSnapshotClient(ComponentHttp.search(shared, endpoints.search()), endpoints.search().url(), endpoints.search().repository());
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
