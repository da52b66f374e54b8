package dev.backstop.camunda;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.backstop.core.backup.BackupId;
import dev.backstop.core.procedure.Observation;
import dev.backstop.core.procedure.Outcome;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How Zeebe's documented answers map to outcomes, with answers scripted on a local HTTP server
 * (the real broker's happy paths are exercised by the server's tests against the test bed; the
 * failure answers here cannot be provoked on demand there).
 */
class ZeebeManagementClientTest {

  private final Map<String, String[]> answers = new ConcurrentHashMap<>(); // "METHOD path" -> {status, body}
  private HttpServer server;
  private ZeebeManagementClient zeebe;

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      String[] answer = answers.getOrDefault(exchange.getRequestMethod() + " " + exchange.getRequestURI(), new String[] {"404", "{}"});
      byte[] body = answer[1].getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(Integer.parseInt(answer[0]), body.length == 0 ? -1 : body.length);
      if (body.length > 0) {
        exchange.getResponseBody().write(body);
      }
      exchange.close();
    });
    server.start();
    zeebe = new ZeebeManagementClient(JsonHttp.withDefaults(), "http://127.0.0.1:" + server.getAddress().getPort());
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void shouldReadThePauseOutcomeFromTheBodyNotTheHttpStatus() {
    answers.put("POST /actuator/exporting/pause?soft=true", new String[] {"200", "{\"body\":null,\"status\":500,\"contentType\":null}"});
    Outcome<Void> failed = zeebe.pauseExporting();
    assertThat(failed).isInstanceOf(Outcome.Refused.class);
    assertThat(((Outcome.Refused<Void>) failed).status()).isEqualTo(500);

    answers.put("POST /actuator/exporting/pause?soft=true", new String[] {"200", "{\"body\":null,\"status\":204,\"contentType\":null}"});
    assertThat(zeebe.pauseExporting()).isInstanceOf(Outcome.Ok.class);

    answers.put("POST /actuator/exporting/resume", new String[] {"200", "{\"body\":null,\"status\":204,\"contentType\":null}"});
    assertThat(zeebe.resumeExporting()).isInstanceOf(Outcome.Ok.class);
  }

  @Test
  void shouldMapBackupStartAnswers() {
    BackupId id = new BackupId(100);
    answers.put("POST /actuator/backups", new String[] {"409", "{\"message\":\"Requested backup has id 100. The latest backup has id 200\"}"});
    Outcome<Void> refused = zeebe.startBackup(id);
    assertThat(refused).isInstanceOf(Outcome.Refused.class);
    assertThat(refused.describe()).contains("409").contains("latest backup has id 200");

    answers.put("POST /actuator/backups", new String[] {"503", "{\"message\":\"resource exhausted\"}"});
    assertThat(zeebe.startBackup(id)).isInstanceOf(Outcome.Unreachable.class);

    answers.put("POST /actuator/backups", new String[] {"202", "{\"message\":\"A backup with id 100 has been scheduled.\"}"});
    assertThat(zeebe.startBackup(id)).isInstanceOf(Outcome.Ok.class);
  }

  @Test
  void shouldMapBackupStates() {
    BackupId id = new BackupId(7);
    assertThat(zeebe.backupStatus(id)).isInstanceOf(Observation.NotFound.class);

    answers.put("GET /actuator/backups/7", new String[] {"200", "{\"backupId\":7,\"state\":\"INCOMPLETE\",\"details\":[{\"partitionId\":1,\"state\":\"COMPLETED\"}]}"});
    assertThat(zeebe.backupStatus(id)).isInstanceOf(Observation.InProgress.class);

    answers.put("GET /actuator/backups/7", new String[] {"200",
        "{\"backupId\":7,\"state\":\"FAILED\",\"details\":[{\"partitionId\":2,\"state\":\"FAILED\",\"failureReason\":\"Backup is cancelled due to leader change.\"}]}"});
    Observation failed = zeebe.backupStatus(id);
    assertThat(failed).isInstanceOf(Observation.Failed.class);
    assertThat(((Observation.Failed) failed).reason()).contains("partition 2").contains("leader change");

    answers.put("GET /actuator/backups/7", new String[] {"500", "{\"message\":\"internal error\"}"});
    assertThat(zeebe.backupStatus(id)).as("a server error may pass: counted against the tolerance").isInstanceOf(Observation.Unreachable.class);

    answers.put("GET /actuator/backups/7", new String[] {"400", "{\"message\":\"no backup store configured\"}"});
    assertThat(zeebe.backupStatus(id)).isInstanceOf(Observation.Failed.class);

    answers.put("GET /actuator/backups/7", new String[] {"200", "{\"backupId\":7,\"state\":\"COMPLETED\",\"details\":[]}"});
    assertThat(zeebe.backupStatus(id)).isInstanceOf(Observation.Completed.class);

    answers.put("DELETE /actuator/backups/7", new String[] {"204", ""});
    assertThat(zeebe.deleteBackup(id)).isInstanceOf(Outcome.Ok.class);
  }

  @Test
  void shouldReportAStoppedBrokerAsUnreachable() {
    server.stop(0);
    assertThat(zeebe.pauseExporting()).isInstanceOf(Outcome.Unreachable.class);
    assertThat(zeebe.backupStatus(new BackupId(1))).isInstanceOf(Observation.Unreachable.class);
  }

  @Test
  void shouldDetectAHardPauseWhereZeebeHasNoSoftPause() {
    // given: a broker of an 8.2–8.4 patch without the soft pause: it ignores soft=true and pauses hard
    answers.put("POST /actuator/exporting/pause?soft=true", new String[] {"204", ""});
    answers.put("GET /actuator/partitions", new String[] {"200", "{\"1\":{\"exporterPhase\":\"PAUSED\"},\"2\":{\"exporterPhase\":\"PAUSED\"}}"});

    // when
    Outcome<Void> paused = zeebe.pauseExporting();

    // then: a pause all the same, known to be hard
    assertThat(paused).isInstanceOf(Outcome.Ok.class);
    assertThat(zeebe.lastPause()).isEqualTo(ZeebeManagementClient.Pause.HARD);
  }

  @Test
  void shouldDetectASoftPause() {
    answers.put("POST /actuator/exporting/pause?soft=true", new String[] {"200", "{\"body\":null,\"status\":204,\"contentType\":null}"});
    answers.put("GET /actuator/partitions", new String[] {"200", "{\"1\":{\"exporterPhase\":\"SOFT_PAUSED\"}}"});

    assertThat(zeebe.pauseExporting()).isInstanceOf(Outcome.Ok.class);
    assertThat(zeebe.lastPause()).isEqualTo(ZeebeManagementClient.Pause.SOFT);
  }

  @Test
  void shouldReadTheLatestBackupIdFromTheListWhateverTheBackupsState() {
    answers.put("GET /actuator/backups", new String[] {"200",
        "[{\"backupId\":1700000500,\"state\":\"FAILED\"},{\"backupId\":1800000000,\"state\":\"COMPLETED\"},{\"backupId\":1700000000,\"state\":\"COMPLETED\"}]"});
    assertThat(zeebe.latestBackupId()).isEqualTo(Outcome.ok(java.util.Optional.of(new BackupId(1800000000L))));

    answers.put("GET /actuator/backups", new String[] {"200", "[]"});
    assertThat(zeebe.latestBackupId()).isEqualTo(Outcome.ok(java.util.Optional.empty()));

    answers.put("GET /actuator/backups", new String[] {"400", "{\"message\":\"No backup store configured\"}"});
    assertThat(zeebe.latestBackupId()).isInstanceOf(Outcome.Refused.class);
  }

  @Test
  void shouldReadTheLatestIdFromZeebesRefusalInEachWordingItHasHad() {
    assertThat(zeebe.latestIdNamedIn("ZEEBE failed at step 'start zeebe backup': backup refused (HTTP 409): Requested backup has id 17."
        + " The latest backup has id 42. Id of new backups must be higher than the previous one."))
        .contains(new BackupId(42));
    assertThat(zeebe.latestIdNamedIn("Requested backup has ID 17. The latest backup has ID 43. The backup ID must be greater"))
        .contains(new BackupId(43));
    assertThat(zeebe.latestIdNamedIn("ZEEBE failed at step 'await zeebe backup': FAILED: disk full")).isEmpty();
  }
}
