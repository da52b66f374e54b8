package dev.backstop.camunda;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backstop.core.backup.BackupId;
import dev.backstop.core.procedure.Observation;
import dev.backstop.core.procedure.Outcome;
import dev.backstop.core.procedure.WebAppBackupApi;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The backup API of Operate, Tasklist and Optimize, generations 8.2–8.7 ({@code /actuator/backups}
 * on their management port), and 8.8's history backup of Operate and Tasklist together ({@code
 * /actuator/backupHistory} on the orchestration cluster's management port; snapshots {@code
 * camunda_webapps_{id}_{version}_part_{n}_of_{m}}). Operate, Tasklist and the history backup
 * answer a start with 200 and the snapshot names ({@code {"scheduledSnapshots":[…]}}), a status
 * with {@code {backupId, state, failureReason, details:[{snapshotName, state, startTime,
 * failures}]}}, states COMPLETED, FAILED, INCOMPATIBLE, IN_PROGRESS, INCOMPLETE, an absent backup
 * with 404, a delete with 204 (8.8's shapes read in camunda/camunda {@code
 * dist/…/io/camunda/webapps/controllers/BackupController.java}, {@code @WebEndpoint(id =
 * "backupHistory")}, and its {@code BackupControllerTest}). Optimize answers a start with 202 and
 * a message, on its own management port (8092), with the same path in 8.8 as before.
 *
 * <p>Quirks read here: right after a start the backup may answer 404 (not visible yet), and while
 * its snapshots run Operate may answer 400 and Tasklist 500, both with "Exception occurred when
 * searching for backup": all taken as "in progress". INCOMPLETE is reported between snapshot parts
 * and is not final. A delete is accepted before the snapshots are gone: the app keeps reporting the
 * backup (INCOMPLETE) for a while.
 */
public final class WebAppManagementClient implements WebAppBackupApi {

  /** Which web app's backup: its endpoint, and its name in snapshot names. */
  public enum App {
    OPERATE("/actuator/backups", "operate", "backup"),
    TASKLIST("/actuator/backups", "tasklist", "backup"),
    OPTIMIZE("/actuator/backups", "optimize", "backup"),
    /** 8.8: Operate and Tasklist backed up as one. */
    HISTORY("/actuator/backupHistory", "webapps", "history backup");

    private final String path;
    private final String snapshotName;
    private final String noun;

    App(String path, String snapshotName, String noun) {
      this.path = path;
      this.snapshotName = snapshotName;
      this.noun = noun;
    }

    String snapshotName() {
      return snapshotName;
    }
  }

  private final JsonHttp http;
  private final App app;
  private final String managementUrl;

  public WebAppManagementClient(JsonHttp http, App app, String managementUrl) {
    this.http = http;
    this.app = app;
    this.managementUrl = managementUrl;
  }

  @Override
  public Outcome<List<String>> start(BackupId id) {
    JsonHttp.Exchange exchange = http.post(url(app.path), Map.of("backupId", id.value()));
    if (!exchange.is2xx()) {
      return Answers.failure(exchange);
    }
    List<String> names = new ArrayList<>();
    exchange.json().path("scheduledSnapshots").forEach(name -> names.add(name.asText()));
    return Outcome.ok(names);
  }

  @Override
  public Observation status(BackupId id) {
    JsonHttp.Exchange exchange = http.get(url(app.path + "/" + id));
    if (exchange.status() == 404) {
      return new Observation.NotFound(exchange.summary());
    }
    if ((exchange.status() == 400 || exchange.status() == 500) && exchange.body().contains("searching for backup")) {
      // Operate (400) and Tasklist (500) answer so while their snapshots run: alive, just busy.
      return new Observation.InProgress("the app could not read its backup yet: " + exchange.summary());
    }
    if (!exchange.is2xx()) {
      return Answers.observationOf(exchange);
    }
    JsonNode body = exchange.json();
    String state = body.path("state").asText();
    return switch (state) {
      case "COMPLETED" -> new Observation.Completed(partsSummary(body));
      case "IN_PROGRESS", "INCOMPLETE" -> new Observation.InProgress(state + ": " + partsSummary(body));
      case "FAILED", "INCOMPATIBLE" -> new Observation.Failed(app.noun + " " + state + ": " + failureReason(body));
      default -> new Observation.Unreachable("unreadable answer: " + exchange.summary());
    };
  }

  @Override
  public Outcome<Void> delete(BackupId id) {
    JsonHttp.Exchange exchange = http.delete(url(app.path + "/" + id));
    return exchange.is2xx() || exchange.status() == 404 ? Outcome.done() : Answers.failure(exchange);
  }

  @Override
  public String snapshotPrefix(BackupId id) {
    return "camunda_" + app.snapshotName() + "_" + id + "_";
  }

  private static String partsSummary(JsonNode body) {
    int done = 0;
    int all = 0;
    for (JsonNode part : body.path("details")) {
      all++;
      if ("SUCCESS".equals(part.path("state").asText())) {
        done++;
      }
    }
    return done + " of " + all + " snapshots done";
  }

  private static String failureReason(JsonNode body) {
    List<String> reasons = new ArrayList<>();
    String overall = body.path("failureReason").asText("");
    if (!overall.isBlank()) {
      reasons.add(overall);
    }
    for (JsonNode part : body.path("details")) {
      String state = part.path("state").asText();
      if (!"SUCCESS".equals(state) && !"IN_PROGRESS".equals(state)) {
        reasons.add(part.path("snapshotName").asText() + " " + state + " " + part.path("failures"));
      }
    }
    return reasons.isEmpty() ? "no reason given" : String.join("; ", reasons);
  }

  private String url(String path) {
    return JsonHttp.join(managementUrl, path);
  }
}
