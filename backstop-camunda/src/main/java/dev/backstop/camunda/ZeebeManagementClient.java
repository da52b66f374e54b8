package dev.backstop.camunda;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backstop.core.backup.BackupId;
import dev.backstop.core.procedure.Observation;
import dev.backstop.core.procedure.Outcome;
import dev.backstop.core.procedure.ZeebeApi;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Zeebe's management API (port 9600 by default): backups, exporting, partitions.
 *
 * <p>Backups are at {@code /actuator/backups} up to 8.7 and at {@code /actuator/backupRuntime}
 * from 8.8 ("runtime" backups), with the same shapes: a start {@code {"backupId":N}} answers 202
 * {@code {"message":…}} (409 for an id not above the latest), a status {@code {backupId, state,
 * failureReason, details:[…per partition]}} or 404 {@code "Backup with id N does not exist"}, a
 * delete 204 (read in camunda/camunda {@code zeebe/…/shared/management/BackupEndpoint.java},
 * {@code @WebEndpoint(id = "backupRuntime")}). Which path a cluster has is {@link
 * CamundaClusterApis}' choice.
 *
 * <p>Pause and resume always answer HTTP 200: the outcome is the {@code status} inside the body
 * ({@code 204} success, {@code 500} failure), which this adapter reads.
 */
public final class ZeebeManagementClient implements ZeebeApi {

  private static final System.Logger LOG = System.getLogger(ZeebeManagementClient.class.getName());

  /** Zeebe's backup endpoint up to 8.7. */
  public static final String BACKUPS = "/actuator/backups";
  /** Zeebe's backup endpoint from 8.8 (the runtime backup). */
  public static final String RUNTIME_BACKUPS = "/actuator/backupRuntime";

  private final JsonHttp http;
  private final String managementUrl;
  private final String backupsPath;

  public ZeebeManagementClient(JsonHttp http, String managementUrl) {
    this(http, managementUrl, BACKUPS);
  }

  /** @param backupsPath {@link #BACKUPS} or {@link #RUNTIME_BACKUPS} */
  public ZeebeManagementClient(JsonHttp http, String managementUrl, String backupsPath) {
    this.http = http;
    this.managementUrl = managementUrl;
    this.backupsPath = backupsPath;
  }

  @Override
  public Outcome<Void> startBackup(BackupId id) {
    JsonHttp.Exchange exchange = http.post(url(backupsPath), Map.of("backupId", id.value()));
    return exchange.is2xx() ? Outcome.done() : Answers.failure(exchange);
  }

  @Override
  public Observation backupStatus(BackupId id) {
    JsonHttp.Exchange exchange = http.get(url(backupsPath + "/" + id));
    if (exchange.status() == 404) {
      return new Observation.NotFound(exchange.summary());
    }
    if (!exchange.is2xx()) {
      return Answers.observationOf(exchange);
    }
    JsonNode body = exchange.json();
    String state = body.path("state").asText();
    return switch (state) {
      case "COMPLETED" -> new Observation.Completed(partitionsSummary(body));
      case "IN_PROGRESS", "INCOMPLETE" -> new Observation.InProgress(state + ": " + partitionsSummary(body));
      case "DOES_NOT_EXIST" -> new Observation.NotFound("DOES_NOT_EXIST");
      case "FAILED", "INCOMPATIBLE" -> new Observation.Failed(state + ": " + failureReason(body));
      default -> new Observation.Unreachable("unreadable answer: " + exchange.summary());
    };
  }

  @Override
  public Outcome<Optional<BackupId>> latestBackupId() {
    // [{"backupId": 42, "state": "COMPLETED", …}, …]: every backup the store holds, any state.
    JsonHttp.Exchange exchange = http.get(url(backupsPath));
    if (!exchange.is2xx()) {
      return Answers.failure(exchange);
    }
    long latest = 0;
    for (JsonNode backup : exchange.json()) {
      latest = Math.max(latest, backup.path("backupId").asLong(0));
    }
    return Outcome.ok(latest > 0 ? Optional.of(new BackupId(latest)) : Optional.empty());
  }

  /** Zeebe's 409: "Requested backup has id A. The latest backup has id B. …" ("ID" in some versions). */
  private static final java.util.regex.Pattern LATEST_IN_REFUSAL =
      java.util.regex.Pattern.compile("(?i)the latest backup has id (\\d{1,18})");

  @Override
  public Optional<BackupId> latestIdNamedIn(String failureReason) {
    java.util.regex.Matcher matcher = LATEST_IN_REFUSAL.matcher(failureReason);
    return matcher.find() && Long.parseLong(matcher.group(1)) > 0 ? Optional.of(new BackupId(Long.parseLong(matcher.group(1)))) : Optional.empty();
  }

  @Override
  public Outcome<Void> deleteBackup(BackupId id) {
    JsonHttp.Exchange exchange = http.delete(url(backupsPath + "/" + id));
    return exchange.is2xx() || exchange.status() == 404 ? Outcome.done() : Answers.failure(exchange);
  }

  /** How exporting was last paused through this client, as Zeebe's partitions reported it. */
  public enum Pause {
    /** Not paused through this client yet, or the partitions could not be read. */
    UNKNOWN,
    /** Exporting continues, positions are not acknowledged (8.5.1+, and the 8.2–8.4 patches that have it). */
    SOFT,
    /** Exporting stopped: a Zeebe without the soft pause ignores {@code soft=true} and pauses hard. */
    HARD
  }

  private volatile Pause lastPause = Pause.UNKNOWN;

  /**
   * Asks for a soft pause. A Zeebe of the 8.2–8.4 patches that lack it ignores {@code soft=true} and
   * pauses hard, which is as consistent for the backup (exporting merely stops until the resume):
   * which one happened is read from the partitions' exporter phases ({@code SOFT_PAUSED} or {@code
   * PAUSED}), not guessed from the version, and logged.
   */
  @Override
  public Outcome<Void> pauseExporting() {
    Outcome<Void> paused = exporting("/actuator/exporting/pause?soft=true");
    if (paused instanceof Outcome.Ok && exporterPhases() instanceof Outcome.Ok<Map<Integer, String>> phases) {
      lastPause = phases.value().containsValue("PAUSED") ? Pause.HARD : phases.value().containsValue("SOFT_PAUSED") ? Pause.SOFT : Pause.UNKNOWN;
      if (lastPause == Pause.HARD) {
        LOG.log(System.Logger.Level.WARNING,
            "Zeebe at " + managementUrl + " has no soft pause (a patch of 8.2–8.4 before it came): exporting is paused hard"
                + " until the backup resumes it; the exporter falls behind meanwhile and catches up after");
      }
    }
    return paused;
  }

  public Pause lastPause() {
    return lastPause;
  }

  @Override
  public Outcome<Void> resumeExporting() {
    return exporting("/actuator/exporting/resume");
  }

  private Outcome<Void> exporting(String path) {
    JsonHttp.Exchange exchange = http.post(url(path), null);
    if (!exchange.is2xx()) {
      return Answers.failure(exchange);
    }
    JsonNode status = exchange.json().path("status");
    if (status.isMissingNode() || (status.asInt() >= 200 && status.asInt() < 300)) {
      return Outcome.done(); // newer generations answer 204 without the wrapped body
    }
    return new Outcome.Refused<>(status.asInt(), exchange.summary());
  }

  @Override
  public Outcome<Map<Integer, String>> exporterPhases() {
    JsonHttp.Exchange exchange = http.get(url("/actuator/partitions"));
    if (!exchange.is2xx()) {
      return Answers.failure(exchange);
    }
    Map<Integer, String> phases = new TreeMap<>();
    exchange.json().fields().forEachRemaining(
        entry -> phases.put(Integer.parseInt(entry.getKey()), entry.getValue().path("exporterPhase").asText()));
    return Outcome.ok(phases);
  }

  private static String partitionsSummary(JsonNode body) {
    StringBuilder summary = new StringBuilder();
    for (JsonNode partition : body.path("details")) {
      if (!summary.isEmpty()) {
        summary.append(", ");
      }
      summary.append("partition ").append(partition.path("partitionId").asText()).append(' ').append(partition.path("state").asText());
    }
    return summary.toString();
  }

  private static String failureReason(JsonNode body) {
    String reason = body.path("failureReason").asText("");
    if (!reason.isBlank()) {
      return reason;
    }
    StringBuilder reasons = new StringBuilder();
    for (JsonNode partition : body.path("details")) {
      String partitionReason = partition.path("failureReason").asText("");
      if (!partitionReason.isBlank()) {
        reasons.append("partition ").append(partition.path("partitionId").asText()).append(": ").append(partitionReason).append("; ");
      }
    }
    return reasons.isEmpty() ? "no reason given" : reasons.toString();
  }

  private String url(String path) {
    return JsonHttp.join(managementUrl, path);
  }
}
