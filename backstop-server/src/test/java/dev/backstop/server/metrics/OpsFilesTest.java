package dev.backstop.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The example alert rules and dashboard in {@code ops/} name only what Backstop exports: every
 * metric, and every histogram bucket bound, is checked against a scrape of the real meters with
 * every series present ({@link EverySeries}). So renaming a meter breaks this test, not an
 * operator's alerting.
 */
class OpsFilesTest {

  private static final Path OPS = Path.of("..", "ops");
  private static final Path ALERTS = OPS.resolve("prometheus/backstop-alerts.yml");
  private static final Path DASHBOARD = OPS.resolve("grafana/backstop-dashboard.json");

  private static final Pattern METRIC = Pattern.compile("\\bbackstop_[a-z0-9_]+");
  private static final Pattern BUCKET_BOUND = Pattern.compile("(backstop_[a-z0-9_]+_bucket)\\{[^}]*le=\"([^\"]+)\"");

  private final Scrape exported = EverySeries.scrape();

  @Test
  void shouldExportEveryMetricTheProductBriefAsksFor() {
    assertThat(exported.names())
        .contains(
            "backstop_backups_total", "backstop_backup_duration_seconds_bucket", "backstop_backup_step_duration_seconds_count",
            "backstop_backup_component_duration_seconds_sum", "backstop_exporting_paused_seconds_count", "backstop_restores_total",
            "backstop_restore_duration_seconds_bucket", "backstop_restore_phase_duration_seconds_bucket", "backstop_replications_total",
            "backstop_replication_bytes_total", "backstop_replication_failures_total", "backstop_replication_lag_seconds",
            "backstop_schedule_runs_total", "backstop_last_completed_backup_age_seconds", "backstop_cluster_has_completed_backup",
            "backstop_last_replicated_backup_age_seconds", "backstop_operations_taken_over_total", "backstop_cluster_info");
  }

  @Test
  void shouldHaveAlertRulesThatParseAndAreComplete() throws IOException {
    List<Map<String, Object>> rules = alertRules();

    assertThat(rules).extracting(rule -> rule.get("alert"))
        .contains("BackstopBackupOverdue", "BackstopClusterNeverBackedUp", "BackstopBackupFailed", "BackstopReplicationLagging",
            "BackstopReplicationFailed", "BackstopRestoreFailed", "BackstopScheduledRunSkipped");
    SoftAssertions softly = new SoftAssertions();
    for (Map<String, Object> rule : rules) {
      String name = String.valueOf(rule.get("alert"));
      softly.assertThat(rule.get("expr")).as(name + " expr").isInstanceOf(String.class);
      softly.assertThat(String.valueOf(rule.get("for"))).as(name + " for").matches("\\d+[smhd]");
      softly.assertThat(map(rule.get("labels")).get("severity")).as(name + " severity").isIn("critical", "warning", "info");
      softly.assertThat(map(rule.get("annotations"))).as(name + " annotations").containsKeys("summary", "description");
      softly.assertThat(metricsIn(String.valueOf(rule.get("expr")))).as(name + " names a Backstop metric").isNotEmpty();
    }
    softly.assertAll();
  }

  @Test
  void shouldNameOnlyExportedMetricsInTheAlertRules() throws IOException {
    // the comments and annotations may name a histogram as a whole
    Set<String> namesOrFamilies = new TreeSet<>(exported.names());
    namesOrFamilies.addAll(exported.families());
    assertThat(metricsIn(Files.readString(ALERTS))).as("metrics the alert rules' file names").isSubsetOf(namesOrFamilies);
    // the expressions only series
    for (Map<String, Object> rule : alertRules()) {
      assertOnlyExported(String.valueOf(rule.get("alert")), String.valueOf(rule.get("expr")));
    }
  }

  @Test
  void shouldHaveADashboardWithADatasourceInputAndAClusterVariable() throws IOException {
    JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());

    assertThat(dashboard.path("schemaVersion").asInt()).isBetween(36, 41);
    assertThat(dashboard.path("__inputs").findValuesAsText("name")).contains("DS_PROMETHEUS");
    JsonNode cluster = null;
    for (JsonNode variable : dashboard.path("templating").path("list")) {
      if (variable.path("name").asText().equals("cluster")) {
        cluster = variable;
      }
    }
    assertThat(cluster).as("the cluster variable").isNotNull();
    assertThat(cluster.path("definition").asText()).contains("backstop_cluster_info");
    List<JsonNode> targets = targets(dashboard);
    assertThat(targets).hasSizeGreaterThan(10);
    for (JsonNode target : targets) {
      assertThat(target.path("datasource").path("uid").asText()).as(target.toString()).isEqualTo("${DS_PROMETHEUS}");
    }
    // the panels the brief asks for
    assertThat(dashboard.findValuesAsText("title"))
        .anyMatch(title -> title.contains("Newest backups per cluster"))
        .anyMatch(title -> title.contains("Backups per hour by outcome"))
        .anyMatch(title -> title.contains("Backup duration"))
        .anyMatch(title -> title.contains("step duration"))
        .anyMatch(title -> title.contains("Exporting paused"))
        .anyMatch(title -> title.contains("Replication lag"))
        .anyMatch(title -> title.contains("Bytes replicated"))
        .anyMatch(title -> title.contains("Scheduled runs"))
        .anyMatch(title -> title.contains("Restores"));
  }

  @Test
  void shouldNameOnlyExportedMetricsInTheDashboard() throws IOException {
    JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
    for (JsonNode target : targets(dashboard)) {
      String expr = target.path("expr").asText();
      assertThat(metricsIn(expr)).as(expr).isNotEmpty();
      assertOnlyExported("dashboard expr " + expr, expr);
    }
    for (JsonNode variable : dashboard.path("templating").path("list")) {
      assertOnlyExported("variable " + variable.path("name").asText(), variable.path("definition").asText());
    }
  }

  private void assertOnlyExported(String where, String text) {
    assertThat(metricsIn(text)).as(where + ": metrics Backstop does not export").isSubsetOf(exported.names());
    Matcher bound = BUCKET_BOUND.matcher(text);
    while (bound.find()) {
      assertThat(exported.hasSeries(bound.group(1), "le", bound.group(2)))
          .as(where + ": " + bound.group(1) + " has no bucket le=\"" + bound.group(2) + "\"")
          .isTrue();
    }
  }

  private static Set<String> metricsIn(String text) {
    Set<String> names = new TreeSet<>();
    Matcher metric = METRIC.matcher(text);
    while (metric.find()) {
      names.add(metric.group());
    }
    return names;
  }

  private static List<Map<String, Object>> alertRules() throws IOException {
    Map<String, Object> file = new Yaml().load(Files.readString(ALERTS));
    List<Map<String, Object>> rules = new ArrayList<>();
    for (Object group : (List<?>) file.get("groups")) {
      for (Object rule : (List<?>) map(group).get("rules")) {
        rules.add(map(rule));
      }
    }
    return rules;
  }

  private static List<JsonNode> targets(JsonNode dashboard) {
    List<JsonNode> targets = new ArrayList<>();
    for (JsonNode panel : dashboard.path("panels")) {
      panel.path("targets").forEach(targets::add);
      for (JsonNode nested : panel.path("panels")) {
        nested.path("targets").forEach(targets::add);
      }
    }
    return targets;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    return value instanceof Map<?, ?> m ? (Map<String, Object>) m : new LinkedHashMap<>();
  }
}
