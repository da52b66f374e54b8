package dev.backstop.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backstop.server.support.Api;
import dev.backstop.server.support.BackstopIT;
import dev.backstop.server.support.ComponentProbe;
import dev.backstop.server.support.TestCluster;
import dev.backstop.testbed.FaultProxy;
import dev.backstop.testbed.Http;
import dev.backstop.testbed.ManagedProcess;
import dev.backstop.testbed.Testbed;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.test.context.TestPropertySource;

/**
 * Evidence: each component of a cluster — Zeebe, Operate, Tasklist, the search engine and the
 * object store — fails at the backup steps where it matters, and the running Backstop (never
 * restarted) fails the backup naming the component, resumes exporting, removes the parts, and
 * takes the next backup once the component is back.
 *
 * <p>Faults are real. <b>Stopped</b>: the component's process is stopped (SIGTERM) and started
 * again on the same data and ports. <b>Unreachable</b>: the {@link FaultProxy} through which the
 * cluster is registered refuses connections. <b>Hung</b>: the proxy swallows requests and answers
 * nothing (past {@code request-timeout} and {@code unreachable-tolerance}, both short here); the
 * object store, which Zeebe and OpenSearch reach directly, is hung with {@code SIGSTOP} instead.
 * The object store has no proxy (the test bed gives its endpoint to Zeebe and OpenSearch at their
 * start), so "unreachable" is its "stopped": a closed port. The fault strikes the moment the step
 * sends its first request: {@link FaultProxy#tripBefore} on that request, on the proxy of the
 * component the step talks to, whichever component the fault hits.
 *
 * <p>One test bed and one Backstop for the whole class; the cases run one after another on the
 * same cluster, each healing what it broke. By default every component × fault kind, once each
 * (15 cases with the tolerated one: a fault healed within {@code unreachable-tolerance}, after
 * which the backup COMPLETES); {@code -Dcomponent-faults.matrix=full} adds the stop at every
 * further step where the component takes part (25 cases). See {@link #cases()}.
 */
@Tag("evidence")
@TestPropertySource(
    properties = {
      "backstop.it.context=component-faults",
      // Short step timeouts, so that a hung component fails its step in seconds, not minutes; long
      // enough for the test bed's real backups on a busy 2-core machine.
      "backstop.backup.web-app-timeout=PT90S",
      "backstop.backup.records-snapshot-timeout=PT45S",
      "backstop.backup.zeebe-timeout=PT45S",
      "backstop.backup.exporting-timeout=PT5S",
      "backstop.backup.unreachable-tolerance=PT5S",
      "backstop.backup.request-timeout=PT10S",
      "backstop.backup.first-retry=PT1S",
      "backstop.backup.max-retry=PT4S"
    })
class ComponentFaultTest extends BackstopIT {

  private static final Logger LOG = LoggerFactory.getLogger(ComponentFaultTest.class);
  private static final String CLUSTER_NAME = "faulted";
  /** How long exporting may stay paused once Zeebe is reachable (or, for other faults, once the backup failed). */
  private static final Duration RESUME_BOUND = Duration.ofSeconds(30);
  private static final List<String> SUMMARY = new ArrayList<>();

  private static Proxies proxies;
  private static String clusterId;

  /** The component a fault hits. */
  enum Target {
    ZEEBE,
    OPERATE,
    TASKLIST,
    SEARCH_ENGINE,
    OBJECT_STORE
  }

  /** What happens to it. */
  enum Fault {
    /** The process is stopped; healed by starting it again. */
    STOPPED,
    /** Connections are refused (the proxy's port closed); healed by opening it. */
    UNREACHABLE,
    /** Nothing answers (swallowed requests, or a SIGSTOPped object store); healed by answering again. */
    HUNG,
    /** Unreachable for 2 s, less than the unreachable tolerance (5 s): tolerated. */
    BRIEFLY_UNREACHABLE
  }

  /**
   * Where the fault strikes: right before the step's first request (or, for a running step, its
   * first poll) reaches the component the step talks to.
   */
  enum Step {
    WEB_APP_BACKUPS_START("POST /actuator/backups"),
    WEB_APP_BACKUPS_RUNNING("GET /actuator/backups/"),
    PAUSE("POST /actuator/exporting/pause"),
    RECORDS_SNAPSHOT_START("PUT /_snapshot/" + Testbed.SEARCH_REPOSITORY + "/camunda_zeebe_records"),
    RECORDS_SNAPSHOT_RUNNING("GET /_snapshot/" + Testbed.SEARCH_REPOSITORY + "/camunda_zeebe_records"),
    ZEEBE_BACKUP_START("POST /actuator/backups"),
    ZEEBE_BACKUP_RUNNING("GET /actuator/backups/"),
    RESUME("POST /actuator/exporting/resume");

    final String request;

    Step(String request) {
      this.request = request;
    }
  }

  /**
   * One case; {@code named} lists what the failure reason may start with (the component whose
   * step failed: a fault of the search engine or the object store during the web-app backups
   * shows as Operate's or Tasklist's failed backup, which run side by side), empty when the
   * backup must COMPLETE.
   */
  record Case(Target target, Fault fault, Step step, Set<String> named) {
    @Override
    public String toString() {
      return target + " " + fault + " at " + step;
    }
  }

  /**
   * The cases: by default every component × fault kind once ({@link #everyComponentAndFault});
   * with {@code -Dcomponent-faults.matrix=full} also the stop at every step where it bites ({@link
   * #fullMatrix}); either narrowed to the names matching {@code -Dcomponent-faults.only=REGEX}.
   */
  static Stream<Case> cases() {
    String only = System.getProperty("component-faults.only", ".*");
    Stream<Case> chosen = System.getProperty("component-faults.matrix", "").equals("full") ? fullMatrix() : everyComponentAndFault();
    return chosen.filter(c -> c.toString().matches(only));
  }

  private static final Set<String> WEB_APPS = Set.of("OPERATE", "TASKLIST");

  /** Each component stopped, unreachable and hung, each at a step where that bites; and the tolerated blip. */
  static Stream<Case> everyComponentAndFault() {
    return Stream.of(
        new Case(Target.ZEEBE, Fault.STOPPED, Step.RESUME, Set.of("ZEEBE")),
        new Case(Target.ZEEBE, Fault.UNREACHABLE, Step.ZEEBE_BACKUP_RUNNING, Set.of("ZEEBE")),
        new Case(Target.ZEEBE, Fault.HUNG, Step.PAUSE, Set.of("ZEEBE")),
        new Case(Target.OPERATE, Fault.STOPPED, Step.WEB_APP_BACKUPS_START, Set.of("OPERATE")),
        new Case(Target.OPERATE, Fault.UNREACHABLE, Step.WEB_APP_BACKUPS_RUNNING, Set.of("OPERATE")),
        new Case(Target.OPERATE, Fault.HUNG, Step.WEB_APP_BACKUPS_RUNNING, Set.of("OPERATE")),
        new Case(Target.TASKLIST, Fault.STOPPED, Step.WEB_APP_BACKUPS_RUNNING, Set.of("TASKLIST")),
        new Case(Target.TASKLIST, Fault.UNREACHABLE, Step.WEB_APP_BACKUPS_START, Set.of("TASKLIST")),
        new Case(Target.TASKLIST, Fault.HUNG, Step.WEB_APP_BACKUPS_START, Set.of("TASKLIST")),
        new Case(Target.SEARCH_ENGINE, Fault.UNREACHABLE, Step.RECORDS_SNAPSHOT_RUNNING, Set.of("ZEEBE_RECORDS")),
        new Case(Target.SEARCH_ENGINE, Fault.HUNG, Step.RECORDS_SNAPSHOT_START, Set.of("ZEEBE_RECORDS")),
        // last of the search engine's: a restarted node recovers its shards before it is ready again
        new Case(Target.SEARCH_ENGINE, Fault.STOPPED, Step.RECORDS_SNAPSHOT_RUNNING, Set.of("ZEEBE_RECORDS")),
        // the object store's "unreachable" is its stop: a closed port (it has no proxy)
        new Case(Target.OBJECT_STORE, Fault.STOPPED, Step.WEB_APP_BACKUPS_START, WEB_APPS),
        new Case(Target.OBJECT_STORE, Fault.HUNG, Step.ZEEBE_BACKUP_START, Set.of("ZEEBE")),
        // tolerated: healed within unreachable-tolerance, the backup COMPLETES
        new Case(Target.OPERATE, Fault.BRIEFLY_UNREACHABLE, Step.WEB_APP_BACKUPS_RUNNING, Set.of()));
  }

  /** The above, and each component stopped at every further step where it takes part. */
  static Stream<Case> fullMatrix() {
    return Stream.concat(
        everyComponentAndFault(),
        Stream.of(
            new Case(Target.ZEEBE, Fault.STOPPED, Step.PAUSE, Set.of("ZEEBE")),
            new Case(Target.ZEEBE, Fault.STOPPED, Step.RECORDS_SNAPSHOT_START, Set.of("ZEEBE")),
            new Case(Target.ZEEBE, Fault.STOPPED, Step.ZEEBE_BACKUP_START, Set.of("ZEEBE")),
            new Case(Target.ZEEBE, Fault.STOPPED, Step.ZEEBE_BACKUP_RUNNING, Set.of("ZEEBE")),
            new Case(Target.OPERATE, Fault.STOPPED, Step.WEB_APP_BACKUPS_RUNNING, Set.of("OPERATE")),
            new Case(Target.TASKLIST, Fault.STOPPED, Step.WEB_APP_BACKUPS_START, Set.of("TASKLIST")),
            new Case(Target.SEARCH_ENGINE, Fault.STOPPED, Step.WEB_APP_BACKUPS_START, WEB_APPS),
            new Case(Target.SEARCH_ENGINE, Fault.STOPPED, Step.RECORDS_SNAPSHOT_START, Set.of("ZEEBE_RECORDS")),
            new Case(Target.OBJECT_STORE, Fault.STOPPED, Step.RECORDS_SNAPSHOT_START, Set.of("ZEEBE_RECORDS")),
            new Case(Target.OBJECT_STORE, Fault.STOPPED, Step.ZEEBE_BACKUP_START, Set.of("ZEEBE"))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void shouldFailNamingTheComponentResumeExportingRemoveThePartsAndRecover(Case c) {
    ComponentProbe probe = new ComponentProbe(testbed);
    Faults faults = new Faults(c);
    registerOnce();
    String backups = "/clusters/" + clusterId + "/backups";
    Instant begin = Instant.now();
    String outcome = "not run";
    try {
      // given: a cluster exporting, with nothing failing
      assertThat(probe.exporterPhases()).containsOnly("EXPORTING");

      // when: the fault strikes the moment the step reaches the component
      CountDownLatch struck = proxies.trigger(c).tripBefore(c.step().request, faults::inject);
      Api.Answer created = client.post(backups, null);
      assertThat(created.status()).as(created.toString()).isEqualTo(202);
      long backupId = created.json().path("backupId").asLong();
      FaultProxy.await(struck, 180);

      JsonNode ended = awaitBackup(backups, backupId, "the backup ends", Duration.ofMinutes(4),
          b -> List.of("FAILED", "COMPLETED").contains(b.path("state").asText()));
      Instant failedAt = Instant.now();
      outcome = ended.path("state").asText() + ": " + ended.path("failureReason").asText();

      if (c.named().isEmpty()) {
        // then: a fault healed within the tolerance is waited out
        assertThat(ended.path("state").asText()).as(ended.toString()).isEqualTo("COMPLETED");
        faults.heal();
      } else {
        // then: the backup fails, naming the component whose step failed
        assertThat(ended.path("state").asText()).as(ended.toString()).isEqualTo("FAILED");
        assertThat(c.named().stream().anyMatch(name -> ended.path("failureReason").asText().startsWith(name + " failed")))
            .as("failure reason names one of %s: %s", c.named(), ended.path("failureReason").asText())
            .isTrue();
        if (c.named().contains("ZEEBE_RECORDS")) {
          // the records snapshot's part is named after what it holds: the reason says where it lives
          assertThat(ended.path("failureReason").asText()).contains("search engine");
        }

        // and: exporting is resumed while the fault lasts, unless Zeebe is what failed …
        if (c.target() != Target.ZEEBE) {
          awaitExporting(probe, "exporting resumed while " + c.target() + " is still " + c.fault());
          LOG.info("{}: exporting resumed {} ms after the backup was seen FAILED", c, Duration.between(failedAt, Instant.now()).toMillis());
        }

        // … and when Zeebe is what failed, the resume it could not get is owed and retried: healed
        // only once the backup shows that (a resume that failed must not be given up on)
        if (c.target() == Target.ZEEBE) {
          JsonNode owing = awaitBackup(backups, backupId, "the backup owes the resume", Duration.ofMinutes(2),
              b -> b.path("exportingPaused").asBoolean(false) && b.path("retry").path("nextAttemptAt").isTextual());
          assertThat(owing.path("retry").path("lastError").asText()).as(owing.toString()).contains("resuming exporting");
        }

        // … and once it is healed, by the same Backstop, within a bound
        faults.heal();
        Instant healed = Instant.now();
        awaitExporting(probe, "exporting resumed once " + c.target() + " is back");
        long resumedMillis = Duration.between(healed, Instant.now()).toMillis();
        JsonNode cleaned = awaitBackup(backups, backupId, "the backup owes no cleanup", Duration.ofMinutes(2),
            b -> !b.path("exportingPaused").asBoolean(true)
                && !b.path("retry").path("nextAttemptAt").isTextual()
                && Set.of("DELETED", "PENDING").containsAll(b.path("components").findValuesAsText("state")));
        assertThat(cleaned.path("state").asText()).isEqualTo("FAILED");
        if (c.target() == Target.ZEEBE) {
          assertThat(cleaned.path("retry").path("attempts").asInt()).as("retried attempts: %s", cleaned).isGreaterThanOrEqualTo(1);
        }

        // and: nothing of it is left in any component
        assertThat(probe.backupState(testbed.zeebe(), backupId)).as("Zeebe's backup %d", backupId).isEqualTo("404");
        assertThat(probe.backupState(testbed.operate(), backupId)).as("Operate's backup %d", backupId).isEqualTo("404");
        assertThat(probe.backupState(testbed.tasklist(), backupId)).as("Tasklist's backup %d", backupId).isEqualTo("404");
        assertThat(probe.snapshotsOf(backupId)).as("snapshots of backup %d", backupId).isEmpty();
        outcome += " | exporting EXPORTING " + resumedMillis + " ms after the heal, cleanup done after "
            + cleaned.path("retry").path("attempts").asInt(0) + " retried attempts";
      }

      // then: with the fault healed, the same Backstop takes the next backup
      Api.Answer next = client.post(backups, null);
      assertThat(next.status()).as(next.toString()).isEqualTo(202);
      long nextId = next.json().path("backupId").asLong();
      JsonNode completed = awaitBackup(backups, nextId, "the next backup ends", Duration.ofMinutes(4),
          b -> List.of("FAILED", "COMPLETED").contains(b.path("state").asText()));
      assertThat(completed.path("state").asText()).as(completed.toString()).isEqualTo("COMPLETED");
      assertThat(probe.backupState(testbed.zeebe(), nextId)).isEqualTo("COMPLETED");
      outcome += " | next backup COMPLETED";
    } finally {
      proxies.disarmAll();
      faults.healIfNeeded();
      // Never leave the shared test bed paused, nor this cluster with backups.
      new Http().postJson(testbed.zeebe().managementUrl() + "/actuator/exporting/resume", "");
      deleteAllBackupsOfTheFaultedCluster(backups);
      String line = "%-55s %4d s  %s".formatted(c, Duration.between(begin, Instant.now()).toSeconds(), outcome);
      SUMMARY.add(line);
      appendToSummaryFile(line);
    }
  }

  @AfterAll
  static void report() {
    LOG.info("Component faults:\n{}", String.join("\n", SUMMARY));
    if (proxies != null) {
      proxies.close();
    }
  }

  // ------------------------------------------------------------------------------------ faults

  /** Injects and heals one case's fault on the test bed. */
  private final class Faults {
    private final Case c;
    private volatile boolean injected;
    private volatile boolean healed;

    Faults(Case c) {
      this.c = c;
    }

    void inject() {
      LOG.info("{}: injecting", c);
      injected = true;
      switch (c.fault()) {
        case STOPPED -> process(c.target()).stop();
        case UNREACHABLE -> proxies.of(c.target()).set(FaultProxy.Mode.REFUSE);
        case HUNG -> {
          if (c.target() == Target.OBJECT_STORE) {
            signal(process(c.target()), "STOP");
          } else {
            proxies.of(c.target()).set(FaultProxy.Mode.BLACKHOLE);
          }
        }
        case BRIEFLY_UNREACHABLE -> {
          proxies.of(c.target()).set(FaultProxy.Mode.REFUSE);
          Thread.ofVirtual().start(() -> {
            sleep(Duration.ofSeconds(2));
            proxies.of(c.target()).set(FaultProxy.Mode.PASS);
          });
        }
      }
    }

    void heal() {
      if (!injected || healed) {
        return;
      }
      healed = true;
      LOG.info("{}: healing", c);
      switch (c.fault()) {
        case STOPPED -> process(c.target()).start();
        case UNREACHABLE, BRIEFLY_UNREACHABLE -> proxies.of(c.target()).set(FaultProxy.Mode.PASS);
        case HUNG -> {
          if (c.target() == Target.OBJECT_STORE) {
            signal(process(c.target()), "CONT");
          } else {
            proxies.of(c.target()).set(FaultProxy.Mode.PASS);
          }
        }
      }
    }

    /** After a failed case: whatever happened, every component runs and answers again. */
    void healIfNeeded() {
      try {
        heal();
      } catch (RuntimeException e) {
        LOG.warn("{}: healing failed", c, e);
      }
      proxies.passAll();
      for (Target target : Target.values()) {
        ManagedProcess process = process(target);
        if (!process.isRunning()) {
          process.start();
        }
      }
    }
  }

  private ManagedProcess process(Target target) {
    return switch (target) {
      case ZEEBE -> testbed.zeebe().process();
      case OPERATE -> testbed.operate().process();
      case TASKLIST -> testbed.tasklist().process();
      case SEARCH_ENGINE -> testbed.searchProcess();
      case OBJECT_STORE -> testbed.primaryRegion().process();
    };
  }

  /** Sends a signal ({@code STOP}, {@code CONT}) to a process: a hung, then recovered, peer. */
  private static void signal(ManagedProcess process, String signal) {
    long pid = process.pid().orElseThrow(() -> new IllegalStateException(process.name() + " is not running"));
    try {
      int exit = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start().waitFor();
      assertThat(exit).as("kill -%s %d", signal, pid).isZero();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A fault proxy in front of each component the cluster is registered through. */
  private record Proxies(FaultProxy zeebe, FaultProxy operate, FaultProxy tasklist, FaultProxy search) {

    static Proxies inFrontOf(Testbed testbed) {
      return new Proxies(
          FaultProxy.inFrontOf(port(testbed.zeebe().managementUrl())),
          FaultProxy.inFrontOf(port(testbed.operate().managementUrl())),
          FaultProxy.inFrontOf(port(testbed.tasklist().managementUrl())),
          FaultProxy.inFrontOf(port(testbed.searchUrl())));
    }

    /**
     * The proxy that sees the case's step reach its component: the web-app steps on Tasklist's
     * proxy for a fault of Tasklist, on Operate's (started first) otherwise.
     */
    FaultProxy trigger(Case c) {
      return switch (c.step()) {
        case WEB_APP_BACKUPS_START, WEB_APP_BACKUPS_RUNNING -> c.target() == Target.TASKLIST ? tasklist : operate;
        case RECORDS_SNAPSHOT_START, RECORDS_SNAPSHOT_RUNNING -> search;
        case PAUSE, ZEEBE_BACKUP_START, ZEEBE_BACKUP_RUNNING, RESUME -> zeebe;
      };
    }

    FaultProxy of(Target target) {
      return switch (target) {
        case ZEEBE -> zeebe;
        case OPERATE -> operate;
        case TASKLIST -> tasklist;
        case SEARCH_ENGINE -> search;
        case OBJECT_STORE -> throw new IllegalArgumentException("the object store has no proxy: Zeebe and OpenSearch reach it directly");
      };
    }

    void disarmAll() {
      all().forEach(FaultProxy::disarm);
    }

    void passAll() {
      all().forEach(proxy -> proxy.set(FaultProxy.Mode.PASS));
    }

    void close() {
      all().forEach(FaultProxy::close);
    }

    private List<FaultProxy> all() {
      return List.of(zeebe, operate, tasklist, search);
    }

    private static int port(String url) {
      return URI.create(url).getPort();
    }
  }

  // ----------------------------------------------------------------------------------- helpers

  /** Registers the cluster once, every component reached through its proxy. */
  private void registerOnce() {
    if (clusterId != null) {
      return;
    }
    proxies = Proxies.inFrontOf(testbed);
    Map<String, Object> registration =
        TestCluster.registration(
            testCluster.organizationId(),
            CLUSTER_NAME,
            Testbed.CAMUNDA_VERSION,
            testbed,
            Map.of(
                "zeebe", proxies.zeebe().url(),
                "operate", proxies.operate().url(),
                "tasklist", proxies.tasklist().url(),
                "search", proxies.search().url()));
    Api.Answer registered = operator.postJson("/clusters", registration);
    assertThat(registered.status()).as(registered.toString()).isEqualTo(201);
    clusterId = registered.json().path("uuid").asText();
    Api.Answer policy =
        operator.putJson(
            "/admin/clusters/" + clusterId + "/backup-policy",
            Map.of("manualRateLimit", "PT0S", "manualRetention", 3, "scheduledRetention", 3));
    assertThat(policy.status()).as(policy.toString()).isEqualTo(200);
  }

  private void awaitExporting(ComponentProbe probe, String what) {
    await(what)
        .atMost(RESUME_BOUND)
        .pollInterval(Duration.ofMillis(250))
        .ignoreExceptions()
        .until(() -> probe.exporterPhases().stream().allMatch("EXPORTING"::equals));
  }

  private JsonNode awaitBackup(String backups, long backupId, String what, Duration atMost, Predicate<JsonNode> condition) {
    JsonNode[] last = new JsonNode[1];
    try {
      await(what)
          .atMost(atMost)
          .pollInterval(Duration.ofMillis(500))
          .until(() -> condition.test(last[0] = client.get(backups + "/" + backupId).json()));
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError(what + "; last seen: " + last[0], e);
    }
    return last[0];
  }

  private void deleteAllBackupsOfTheFaultedCluster(String backups) {
    await("no backup of the faulted cluster owes work")
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> {
          for (JsonNode backup : client.get(backups).json()) {
            String state = backup.path("state").asText();
            if (state.equals("DELETING")) {
              continue;
            }
            Api.Answer deleted = client.delete(backups + "/" + backup.path("backupId").asLong());
            if (deleted.status() == 409) {
              return false; // in progress, or still owing cleanup
            }
          }
          return true;
        });
    await("every backup of the faulted cluster is gone")
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> client.get(backups).json().isEmpty());
  }

  /** Each case's line as soon as it ended, in {@code target/component-faults.txt}: readable while the suite runs. */
  private static void appendToSummaryFile(String line) {
    try {
      java.nio.file.Files.writeString(
          java.nio.file.Path.of("target", "component-faults.txt"),
          Instant.now() + "  " + line + System.lineSeparator(),
          java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
    } catch (IOException e) {
      LOG.warn("cannot write the summary line: {}", e.toString());
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
