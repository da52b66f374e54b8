package dev.backstop.server.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backstop.server.BackstopApplication;
import dev.backstop.server.support.Api;
import dev.backstop.testbed.Testbed;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * How long a restore takes on the test bed, per phase, through Backstop and, as the baseline
 * measured in the same run on the same cluster and backup, through the documented restore steps
 * run by hand as a plain bash script: kill the components, delete the indices with one wildcard
 * request, restore each snapshot with {@code wait_for_completion=true}, empty the broker's data
 * and run the restore tool, start the components and poll their readiness once a second.
 *
 * <p>The script has no preflight and no verification beyond readiness; Backstop's restore does
 * both. The ratio is printed for the total, for the total without Backstop's PREFLIGHT and VERIFY
 * (the steps both do), and per phase.
 *
 * <p>Run: {@code bench/restore-timing.sh [instances] [rounds]} (defaults 200 and 1).
 */
public final class RestoreTimingBenchmark {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> SCRIPT_PHASES = List.of("STOP_COMPONENTS", "DELETE_INDICES", "RESTORE_SNAPSHOTS", "RESTORE_ZEEBE", "START_COMPONENTS");

  public static void main(String[] args) throws Exception {
    int instances = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 1;
    Path work = Files.createTempDirectory("backstop-restore-bench");
    try (Testbed testbed = Testbed.start(work.resolve("testbed"))) {
      Path descriptor = testbed.writeRuntimeDescriptor(work.resolve("runtimes").resolve("testbed.json"));
      List<String> arguments = new ArrayList<>(List.of(
          "--server.port=0",
          "--backstop.data-dir=" + work.resolve("backstop"),
          "--backstop.admin.client-id=bench",
                    "--backstop.security.component-networks=127.0.0.0/8",
          "--backstop.admin.client-secret=bench-secret-0123456789",
          "--backstop.runtime.local-directory=" + descriptor.getParent(),
          "--logging.level.root=WARN"));
      arguments.addAll(dev.backstop.server.support.BackstopProcess.regionArguments(testbed.primaryRegion(), testbed.secondaryRegion()));
      try (ConfigurableApplicationContext server = new SpringApplicationBuilder(BackstopApplication.class).run(arguments.toArray(String[]::new))) {
        String url = "http://127.0.0.1:" + server.getEnvironment().getProperty("local.server.port");
        Api api = Api.as(url, "bench", "bench-secret-0123456789");
        String clusterId = register(api, testbed, descriptor);
        testbed.deployOrderProcess();
        testbed.startProcessInstances(Testbed.ORDER_PROCESS_ID, instances);
        Thread.sleep(5_000); // let the web apps import them, so that their backups hold them
        JsonNode backup = takeBackup(api, clusterId);
        long backupId = backup.path("backupId").asLong();
        System.out.printf("test bed ready in %d s; %d instances; backup %d; %d round(s)%n",
            testbed.startDuration().toSeconds(), instances, backupId, rounds);

        for (int round = 1; round <= rounds; round++) {
          Map<String, Long> byHand = byHand(testbed, descriptor, work, backupId);
          Map<String, Long> backstop = throughBackstop(api, clusterId, backupId);
          report(round, byHand, backstop);
        }
      }
    }
  }

  private static String register(Api api, Testbed testbed, Path descriptor) {
    String organization = api.postJson("/admin/organizations", Map.of("name", "bench", "plan", "ENTERPRISE")).json().path("id").asText();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", "bench");
    body.put("organizationId", organization);
    body.put("generation", Testbed.CAMUNDA_VERSION);
    body.put("region", testbed.primaryRegion().name());
    body.put("backupLocation", Map.of("type", "SAME_REGION"));
    body.put("components", Map.of(
        "zeebe", Map.of("managementUrl", testbed.zeebe().managementUrl()),
        "operate", Map.of("managementUrl", testbed.operate().managementUrl()),
        "tasklist", Map.of("managementUrl", testbed.tasklist().managementUrl()),
        "search", Map.of("url", testbed.searchUrl(), "repository", Testbed.SEARCH_REPOSITORY)));
    body.put("storage", Map.of("zeebeBasePath", Testbed.ZEEBE_BASE_PATH, "searchBasePath", Testbed.SEARCH_BASE_PATH));
    body.put("runtime", Map.of("type", "LOCAL_PROCESS", "descriptor", descriptor.toString()));
    Api.Answer cluster = api.postJson("/clusters", body);
    if (cluster.status() != 201) {
      throw new IllegalStateException("registration refused: " + cluster);
    }
    String clusterId = cluster.json().path("uuid").asText();
    api.putJson("/admin/clusters/" + clusterId + "/backup-policy", Map.of("manualRateLimit", "PT0S", "manualRetention", 10, "scheduledRetention", 3));
    return clusterId;
  }

  private static JsonNode takeBackup(Api api, String clusterId) throws InterruptedException {
    long backupId = api.post("/clusters/" + clusterId + "/backups", null).json().path("backupId").asLong();
    while (true) {
      JsonNode backup = api.get("/clusters/" + clusterId + "/backups/" + backupId).json();
      switch (backup.path("state").asText()) {
        case "COMPLETED" -> {
          return backup;
        }
        case "FAILED" -> throw new IllegalStateException("backup failed: " + backup);
        default -> Thread.sleep(500);
      }
    }
  }

  // --------------------------------------------------------------------------- the baseline

  /**
   * The documented steps as a plain bash script, generated from the same runtime descriptor
   * Backstop uses; its processes are recorded in the same pid files, so the next restore (and the
   * test bed's close) finds them.
   *
   * @return milliseconds per phase, and "TOTAL"
   */
  private static Map<String, Long> byHand(Testbed testbed, Path descriptorFile, Path work, long backupId) throws Exception {
    JsonNode descriptor = JSON.readTree(descriptorFile.toFile());
    String search = testbed.searchUrl();
    StringBuilder script = new StringBuilder("#!/usr/bin/env bash\nset -euo pipefail\n");
    script.append("phase() { echo \"PHASE $1 $(date +%s%3N)\"; }\n");
    script.append("pidof_() { cut -d' ' -f1 \"$1\" 2>/dev/null || true; }\n");
    script.append("ready() { until curl -sf -o /dev/null \"$1\"; do sleep 1; done; }\n");
    List<JsonNode> processes = new ArrayList<>();
    descriptor.path("webApps").forEach(processes::add);
    descriptor.path("zeebe").forEach(processes::add);

    script.append("phase STOP_COMPONENTS\n");
    for (JsonNode process : processes) {
      script.append("p=$(pidof_ ").append(quote(process.path("pidFile").asText())).append("); [ -n \"$p\" ] && kill $p 2>/dev/null || true\n");
    }
    for (JsonNode process : processes) {
      script.append("p=$(pidof_ ").append(quote(process.path("pidFile").asText())).append("); while [ -n \"$p\" ] && kill -0 $p 2>/dev/null; do sleep 1; done\n");
    }

    script.append("phase DELETE_INDICES\n");
    script.append("curl -sf -o /dev/null -XDELETE ").append(quote(search + "/operate-*,tasklist-*,zeebe-record*?expand_wildcards=all")).append("\n");

    script.append("phase RESTORE_SNAPSHOTS\n");
    script.append("for s in $(curl -sf ").append(quote(search + "/_cat/snapshots/" + Testbed.SEARCH_REPOSITORY + "?h=id"))
        .append(" | grep -E '_").append(backupId).append("(_|$)'); do\n");
    script.append("  curl -sf -o /dev/null -XPOST -H 'Content-Type: application/json' -d '{\"include_global_state\":false}' ")
        .append(quote(search + "/_snapshot/" + Testbed.SEARCH_REPOSITORY + "/")).append("\"$s\"").append(quote("/_restore?wait_for_completion=true")).append("\n");
    script.append("done\n");

    script.append("phase RESTORE_ZEEBE\n");
    Map<String, String> store = testbed.zeebeBackupStoreEnvironment();
    for (JsonNode broker : descriptor.path("zeebe")) {
      script.append("find ").append(quote(broker.path("dataDirectory").asText())).append(" -mindepth 1 -delete\n"); // dot files too
      script.append("(cd ").append(quote(broker.path("workingDirectory").asText())).append(" && env");
      broker.path("restoreEnvironment").fields().forEachRemaining(e -> script.append(' ').append(quote(e.getKey() + "=" + e.getValue().asText())));
      store.forEach((k, v) -> script.append(' ').append(quote(k + "=" + v)));
      for (JsonNode part : broker.path("restoreCommand")) {
        script.append(' ').append(quote(part.asText()));
      }
      script.append(" --backupId=").append(backupId).append(" >> ").append(quote(work.resolve("restore-by-hand.log").toString())).append(" 2>&1)\n");
    }

    script.append("phase START_COMPONENTS\n");
    List<JsonNode> startOrder = new ArrayList<>();
    descriptor.path("zeebe").forEach(startOrder::add);
    descriptor.path("webApps").forEach(startOrder::add);
    for (JsonNode process : startOrder) {
      // In the background with every descriptor of the script's own redirected (else the script's
      // output never ends), exec'd down to the component so that $! is its pid.
      script.append("(cd ").append(quote(process.path("workingDirectory").asText())).append(" && exec env");
      process.path("environment").fields().forEachRemaining(e -> script.append(' ').append(quote(e.getKey() + "=" + e.getValue().asText())));
      for (JsonNode part : process.path("command")) {
        script.append(' ').append(quote(part.asText()));
      }
      script.append(") >> ").append(quote(process.path("logFile").asText())).append(" 2>&1 < /dev/null &\necho $! > ")
          .append(quote(process.path("pidFile").asText())).append("\n");
      if (process.path("name").asText().startsWith("zeebe")) {
        script.append("ready ").append(quote(process.path("readinessUrl").asText())).append("\n");
      }
    }
    for (JsonNode process : descriptor.path("webApps")) {
      script.append("ready ").append(quote(process.path("readinessUrl").asText())).append("\n");
    }
    script.append("phase END\n");

    Path file = work.resolve("restore-by-hand.sh");
    Files.writeString(file, script.toString(), StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
    Process bash = new ProcessBuilder("bash", file.toString()).redirectErrorStream(true).start();
    String output = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (bash.waitFor() != 0) {
      throw new IllegalStateException("the restore by hand failed:\n" + output);
    }
    Map<String, Long> marks = new LinkedHashMap<>();
    output.lines().filter(line -> line.startsWith("PHASE ")).forEach(line -> {
      String[] fields = line.split(" ");
      marks.put(fields[1], Long.parseLong(fields[2]));
    });
    Map<String, Long> phases = new LinkedHashMap<>();
    List<String> names = new ArrayList<>(marks.keySet());
    for (int i = 0; i + 1 < names.size(); i++) {
      phases.put(names.get(i), marks.get(names.get(i + 1)) - marks.get(names.get(i)));
    }
    phases.put("TOTAL", marks.get("END") - marks.get("STOP_COMPONENTS"));
    return phases;
  }

  private static String quote(String value) {
    return "'" + value.replace("'", "'\\''") + "'";
  }

  // ------------------------------------------------------------------------------- Backstop

  /** @return milliseconds per phase (as the restore recorded them), and "TOTAL" (request to COMPLETED) */
  private static Map<String, Long> throughBackstop(Api api, String clusterId, long backupId) throws InterruptedException {
    Instant start = Instant.now();
    String restoreId = api.post("/clusters/" + clusterId + "/backups/" + backupId + "/restore", null).json().path("id").asText();
    JsonNode restore;
    while (true) {
      restore = api.get("/clusters/" + clusterId + "/restores/" + restoreId).json();
      String state = restore.path("state").asText();
      if (state.equals("COMPLETED")) {
        break;
      }
      if (state.equals("FAILED")) {
        throw new IllegalStateException("the restore failed: " + restore);
      }
      Thread.sleep(100);
    }
    long total = Duration.between(start, Instant.now()).toMillis();
    Map<String, Long> phases = new LinkedHashMap<>();
    for (JsonNode phase : restore.path("phases")) {
      phases.put(phase.path("name").asText(),
          Duration.between(Instant.parse(phase.path("startedAt").asText()), Instant.parse(phase.path("endedAt").asText())).toMillis());
    }
    phases.put("TOTAL", total);
    return phases;
  }

  private static void report(int round, Map<String, Long> byHand, Map<String, Long> backstop) {
    System.out.printf("round %d%n%-18s %10s %10s %7s%n", round, "phase", "by hand", "Backstop", "ratio");
    for (String phase : List.of("PREFLIGHT", "STOP_COMPONENTS", "DELETE_INDICES", "RESTORE_SNAPSHOTS", "RESTORE_ZEEBE", "START_COMPONENTS", "VERIFY")) {
      Long hand = byHand.get(phase);
      long ours = backstop.getOrDefault(phase, 0L);
      System.out.printf("%-18s %10s %10d %7s%n", phase, hand == null ? "-" : hand + "", ours, hand == null || hand == 0 ? "-" : "%.2f".formatted((double) ours / hand));
    }
    long comparable = SCRIPT_PHASES.stream().mapToLong(p -> backstop.getOrDefault(p, 0L)).sum();
    System.out.printf("%-18s %10d %10d %7.2f%n", "steps both do", byHand.get("TOTAL"), comparable, (double) comparable / byHand.get("TOTAL"));
    System.out.printf("%-18s %10d %10d %7.2f%n", "TOTAL", byHand.get("TOTAL"), backstop.get("TOTAL"), (double) backstop.get("TOTAL") / byHand.get("TOTAL"));
  }
}
