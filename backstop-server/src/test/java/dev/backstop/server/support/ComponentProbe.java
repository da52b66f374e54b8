package dev.backstop.server.support;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backstop.testbed.CamundaComponent;
import dev.backstop.testbed.Http;
import dev.backstop.testbed.Testbed;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Asks the test bed's components themselves what they hold, to check what Backstop reports. */
public final class ComponentProbe {

  private final Http http = new Http();
  private final Testbed testbed;

  public ComponentProbe(Testbed testbed) {
    this.testbed = testbed;
  }

  /** The state a component's own backup API reports for a backup id; "404" when it has none. */
  public String backupState(CamundaComponent component, long backupId) {
    Http.Response response = http.get(component.managementUrl() + "/actuator/backups/" + backupId);
    if (response.status() == 404) {
      return "404";
    }
    return response.json().path("state").asText("HTTP " + response.status());
  }

  /** The names of the snapshots in the search repository that belong to a backup id. */
  public List<String> snapshotsOf(long backupId) {
    // ignore_unavailable: a snapshot being deleted meanwhile is left out, rather than failing the listing
    JsonNode all = http.get(testbed.searchUrl() + "/_snapshot/" + Testbed.SEARCH_REPOSITORY + "/_all?ignore_unavailable=true").successJson();
    List<String> names = new ArrayList<>();
    for (JsonNode snapshot : all.path("snapshots")) {
      String name = snapshot.path("snapshot").asText();
      if (name.contains("_" + backupId + "_") || name.endsWith("_" + backupId)) {
        names.add(name);
      }
    }
    return names;
  }

  /**
   * Camunda's snapshot names carry the backup id after the component's prefix: camunda_operate_N_…,
   * camunda_zeebe_records_backup_N; so does Backstop's copy of the records ahead of the pause,
   * backstop_records_ahead_N.
   */
  private static final Pattern SNAPSHOT_BACKUP_ID = Pattern.compile("^(?:camunda|backstop)_[a-z_]+?_(\\d+)(?:_|$)");

  /** The ids of every backup a component's own backup API lists (Zeebe, Operate, Tasklist: {@code GET /actuator/backups}). */
  public Set<Long> backupIds(CamundaComponent component) {
    JsonNode all = http.get(component.managementUrl() + "/actuator/backups").successJson();
    Set<Long> ids = new TreeSet<>();
    all.forEach(backup -> ids.add(backup.path("backupId").asLong()));
    return ids;
  }

  /** The backup ids of every Camunda snapshot in the search repository. */
  public Set<Long> snapshotBackupIds() {
    JsonNode all = http.get(testbed.searchUrl() + "/_snapshot/" + Testbed.SEARCH_REPOSITORY + "/_all?ignore_unavailable=true").successJson();
    Set<Long> ids = new TreeSet<>();
    for (JsonNode snapshot : all.path("snapshots")) {
      backupIdOf(snapshot.path("snapshot").asText()).ifPresent(ids::add);
    }
    return ids;
  }

  /** The backup id a Camunda snapshot's name carries; empty for a snapshot not named by Camunda. */
  public static Optional<Long> backupIdOf(String snapshotName) {
    Matcher id = SNAPSHOT_BACKUP_ID.matcher(snapshotName);
    return id.find() ? Optional.of(Long.parseLong(id.group(1))) : Optional.empty();
  }

  /** Each partition's exporter phase. */
  public List<String> exporterPhases() {
    JsonNode partitions = http.get(testbed.zeebe().managementUrl() + "/actuator/partitions").successJson();
    List<String> phases = new ArrayList<>();
    partitions.forEach(partition -> phases.add(partition.path("exporterPhase").asText()));
    return phases;
  }
}
