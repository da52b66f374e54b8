package dev.backstop.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backstop.core.schedule.BackupSchedule;
import dev.backstop.core.schedule.BackupSchedule.Frequency;
import dev.backstop.server.support.Api;
import dev.backstop.server.support.BackstopIT;
import dev.backstop.server.support.Browser;
import dev.backstop.server.support.TestCluster;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web console in a real headless Chromium (Debian's, through chromedriver and Selenium),
 * against Backstop and the real test bed, as a person of an organization uses it: sign in, see
 * the clusters, take a backup and watch its steps, meet the rate limit's countdown, delete a
 * backup, set a weekly schedule, start a restore and follow it to the operator's first step.
 *
 * <p>The restore runs on a second cluster registered only for this test on the test bed's
 * components, with the MANUAL runtime: it waits at STOP_COMPONENTS, where nothing has been touched
 * yet. Confirming the stop while the components still answer fails that phase (after the
 * procedure's stop timeout, 10 s in the tests) and ends the restore, so nothing of it outlives the test:
 * the cluster, its backup and the restore are deleted or ended before the next test class runs
 * on the shared test bed. Screenshots of each milestone are kept in {@code
 * target/console-screenshots}.
 */
class ConsoleBrowserTest extends BackstopIT {

  private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
  private static final Path BROWSER_LOGS = Path.of("target", "console-browser");
  private static final Duration RESTORE_END = Duration.ofMinutes(3);
  private static final Pattern COUNTDOWN = Pattern.compile("Next manual backup possible in (?:(\\d+) h )?(?:(\\d+) min )?(\\d+) s");
  private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
  private static final String FOCUS_OUTLINE =
      "const s = getComputedStyle(document.activeElement); return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;";

  private static Browser browser;

  private String clientId;
  private String clientSecret;
  private Api person;
  private String restoreClusterId;
  private String restoreId;

  @BeforeAll
  static void startBrowser() {
    browser = Browser.start(SCREENSHOTS, BROWSER_LOGS);
  }

  @AfterAll
  static void quitBrowser() {
    if (browser != null) {
      browser.close();
      assertThat(browser.chromiumProcesses()).as("Chromium or chromedriver left running").isEmpty();
    }
  }

  @Test
  void shouldLetAPersonWatchBackupsAndRestoresOfTheirClustersInTheConsole() {
    // given: an API client of the test cluster's organization, as the operator hands one out
    givenAPersonsClient();
    // and: one manual backup per 5 hours on the test cluster, which has no schedule
    setPolicy("PT5H", 3, 3);
    client.delete("/clusters/" + testCluster.clusterId() + "/backup-schedule");
    // and: a second cluster on the same components (MANUAL runtime) with a completed backup to restore
    long restorable = givenAClusterToRestoreWithACompletedBackup();

    try {
      signIn();
      seeTheClusters();
      startARestoreAndSeeItWaitForTheOperator(restorable);
      createABackupAndWatchItsStepsComplete();
      long limited = seeTheRateLimitCountdown();
      deleteTheBackupThroughTheConfirmationDialog(limited);
      setAWeeklyScheduleAndSeeTheNextRunsInItsZone();
      computeTheNextRunsAsBackstopDoesAcrossDaylightSaving();
      seeTheConfirmedStopFailWhileTheComponentsStillAnswer();
      everyInputIsLabelledAndTheFocusIsVisible();
      assertThat(browser.consoleErrors()).as("errors in the browser's console").isEmpty();
      seeTheSignInPageWhenTheClientIsDeleted();
      letTheOperatorCreateAClientSeeItsSecretOnceAndDeleteIt();
    } catch (AssertionError | RuntimeException e) {
      browser.keepFailure(BROWSER_LOGS);
      throw e;
    }
  }

  // -------------------------------------------------------------------------------------- steps

  private void givenAPersonsClient() {
    Api.Answer created =
        operator.postJson(
            "/admin/organizations/" + testCluster.organizationId() + "/clients",
            Map.of("name", "console-user", "permissions", List.of("backups:read", "backups:write", "backups:restore", "clusters:read")));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    clientId = created.json().path("clientId").asText();
    clientSecret = created.json().path("clientSecret").asText();
    person = Api.as(baseUrl(), clientId, clientSecret);
  }

  private long givenAClusterToRestoreWithACompletedBackup() {
    Api.Answer registered =
        operator.postJson("/clusters", TestCluster.registration(testCluster.organizationId(), "console-restore", "8.6.0", testbed));
    assertThat(registered.status()).as(registered.toString()).isEqualTo(201);
    assertThat(registered.json().path("runtime").path("type").asText()).isEqualTo("MANUAL");
    restoreClusterId = registered.json().path("uuid").asText();
    Api.Answer started = person.post("/clusters/" + restoreClusterId + "/backups", null);
    assertThat(started.status()).as(started.toString()).isEqualTo(202);
    long backupId = started.json().path("backupId").asLong();
    JsonNode[] backup = new JsonNode[1];
    await("the restore cluster's backup ends").atMost(BACKUP_TIMEOUT).pollInterval(Duration.ofMillis(500)).until(() -> {
      backup[0] = person.get("/clusters/" + restoreClusterId + "/backups/" + backupId).json();
      return !backup[0].path("state").asText().equals("IN_PROGRESS");
    });
    assertThat(backup[0].path("state").asText()).as(backup[0].toString()).isEqualTo("COMPLETED");
    return backupId;
  }

  private void signIn() {
    browser.open(baseUrl() + "/");
    awaitText("the sign-in page", "#main h1", "Sign in to Backstop");
    browser.screenshot("01-sign-in", null);

    // a wrong secret is refused, with a message
    WebElement id = browser.find("input[name=client_id]");
    id.sendKeys(clientId);
    browser.find("input[name=client_secret]").sendKeys("not-the-secret" + Keys.ENTER);
    awaitText("the refusal", "form [role=alert]", "unknown client id or wrong secret");

    // by keyboard alone: the secret field has the focus again, Enter submits
    WebElement secret = browser.driver().switchTo().activeElement();
    assertThat(secret.getAttribute("name")).isEqualTo("client_secret");
    secret.sendKeys(clientSecret + Keys.ENTER);
    awaitText("the clusters overview", "#main h1", "Clusters");
    assertThat(browser.script("return sessionStorage.getItem('backstop.console.token')")).as("the token is kept").isNotNull();
    assertThat(browser.script("return JSON.stringify(sessionStorage) + JSON.stringify(localStorage)").toString())
        .as("the secret is kept nowhere").doesNotContain(clientSecret);
  }

  private void seeTheClusters() {
    awaitElement("the test cluster's row", "#clusters-table tr[data-cluster-id='" + testCluster.clusterId() + "']");
    awaitElement("the restore cluster's row", "#clusters-table tr[data-cluster-id='" + restoreClusterId + "']");
    // no completed backup: marked, in words too
    assertThat(readText(d -> row(testCluster.clusterId()).getAttribute("class"))).contains("attention");
    assertThat(readText(d -> row(testCluster.clusterId()).findElement(By.cssSelector(".last-good")).getText()))
        .contains("No completed backup").contains("Needs attention");
    assertThat(readText(d -> row(restoreClusterId).findElement(By.cssSelector(".last-good")).getText()))
        .containsPattern("just now|\\d+ (s|min) ago").doesNotContain("Needs attention");
    assertThat(readText(d -> row(testCluster.clusterId()).getText())).contains("testbed").contains("No schedule").contains("Nothing");
    browser.screenshot("02-clusters-overview", null);
  }

  private void startARestoreAndSeeItWaitForTheOperator(long backupId) {
    clickWhenReady("the restore cluster's link", "a[data-key='cluster-" + restoreClusterId + "']");
    awaitText("the restore cluster's page", "#main h1", "console-restore");
    clickWhenReady("the backup's restore button", "button[data-key='restore-" + backupId + "']");
    WebElement dialog = awaitElement("the restore dialog", "dialog[open]");
    assertThat(dialog.getText()).contains("Restore backup " + backupId + "?").contains("Work done since the backup is lost");
    dialog.findElement(By.cssSelector("button[type=submit]")).click();

    // then: the page follows the restore to the operator's first step
    awaitElement("the restore's phases", "#restore-detail");
    awaitPage(RESTORE_END, "the restore waits at STOP_COMPONENTS",
        d -> "WAITING".equals(attribute("#restore-detail", "data-state")) && "WAITING".equals(attribute("#restore-phases tr[data-phase=STOP_COMPONENTS]", "data-state")));
    assertThat(attribute("#restore-phases tr[data-phase=PREFLIGHT]", "data-state")).isEqualTo("COMPLETED");
    assertThat(text("#restore-phases tr[data-phase=PREFLIGHT] .detail")).contains("partitions complete");
    assertThat(text("#restore-waiting h3")).isEqualTo("Action needed: Stop components");
    assertThat(text("#restore-instructions"))
        .contains("Stop Zeebe (" + testbed.zeebe().managementUrl() + ")").contains("Operate").contains("Tasklist").contains("confirm phase STOP_COMPONENTS");
    restoreId = attribute("#restore-detail", "data-restore-id");
    assertThat(browser.driver().getCurrentUrl()).endsWith("#/clusters/" + restoreClusterId + "/restores/" + restoreId);
    assertThat(person.get("/clusters/" + restoreClusterId + "/restores/" + restoreId).json().path("state").asText()).isEqualTo("WAITING");
    browser.screenshot("03-restore-waiting", browser.find("#restore-detail"));

    // and: the person confirms the stop (the components still answer: Backstop checks, and fails the phase)
    clickWhenReady("the confirm button", "#confirm-phase");
    WebElement confirm = awaitElement("the confirmation dialog", "dialog[open]");
    assertThat(confirm.getText()).contains("a stop confirmed while one still answers fails the restore");
    confirm.findElement(By.cssSelector("button[type=submit]")).click();
    awaitPage(Browser.WAIT, "the stop is being checked", d -> !"WAITING".equals(attribute("#restore-detail", "data-state")));
  }

  private void createABackupAndWatchItsStepsComplete() {
    // A restore waiting or running on the other cluster does not hold this one up.
    browser.open(baseUrl() + "/#/clusters/" + testCluster.clusterId());
    awaitText("the test cluster's page", "#main h1", "testbed");
    awaitElement("the empty backups list", "#no-backups");
    clickWhenReady("create backup", "#create-backup");

    Set<String> seen = new HashSet<>();
    boolean[] pictured = {false};
    awaitElement("the backup's progress", "#backup-progress");
    awaitPage(BACKUP_TIMEOUT, "the backup completes in the page", d -> {
      List<WebElement> steps = d.findElements(By.cssSelector("#backup-progress li[data-component]"));
      for (WebElement step : steps) {
        seen.add(step.getAttribute("data-component") + "=" + step.getAttribute("data-state"));
      }
      boolean running = "IN_PROGRESS".equals(attribute("#backup-progress", "data-state"));
      if (!pictured[0] && running && seen.stream().anyMatch(s -> s.endsWith("=COMPLETED") || s.endsWith("=IN_PROGRESS"))) {
        browser.screenshot("04-backup-progress", browser.find("#backups-section"));
        pictured[0] = true;
      }
      return "COMPLETED".equals(attribute("#backup-progress", "data-state"));
    });
    if (!pictured[0]) {
      browser.screenshot("04-backup-progress", browser.find("#backups-section"));
    }
    assertThat(seen).as("the steps as they were shown").anyMatch(s -> !s.endsWith("=COMPLETED"));
    List<String> components = retrying(d -> d.findElements(By.cssSelector("#backup-progress li[data-component]")).stream()
        .map(step -> step.getAttribute("data-component") + "=" + step.findElement(By.cssSelector(".state")).getText()).toList());
    assertThat(components).containsExactly("OPERATE=COMPLETED", "TASKLIST=COMPLETED", "ZEEBE_RECORDS=COMPLETED", "ZEEBE=COMPLETED");
    long backupId = Long.parseLong(attribute("#backup-progress", "data-backup-id"));
    awaitPage(Browser.WAIT, "the backup's row says COMPLETED", d -> "COMPLETED".equals(attribute("#backups-table tr[data-backup-id='" + backupId + "']", "data-state")));
    assertThat(text("#backups-table tr[data-backup-id='" + backupId + "'] td.state")).contains("COMPLETED");
    assertThat(client.get(backupsPath() + "/" + backupId).json().path("state").asText()).isEqualTo("COMPLETED");
    browser.screenshot("05-backup-completed", browser.find("#backups-section"));
  }

  private long seeTheRateLimitCountdown() {
    long backupId = Long.parseLong(attribute("#backup-progress", "data-backup-id"));
    clickWhenReady("create backup again", "#create-backup");
    String first = awaitText("the countdown", "#create-countdown", "Next manual backup possible in");
    long firstSeconds = seconds(first);
    assertThat(firstSeconds).as(first).isBetween(Duration.ofHours(5).minusMinutes(2).toSeconds(), Duration.ofHours(5).toSeconds());
    assertThat(first).matches("Next manual backup possible in 4 h 5\\d min \\d+ s");
    assertThat(browser.find("#create-backup").isEnabled()).as("the button waits for the window").isFalse();
    assertThat(text("#backup-error")).contains("HTTP 429");
    browser.screenshot("06-rate-limit-countdown", browser.find("#backups-section"));
    // it ticks
    String later = awaitPage(Duration.ofSeconds(5), "the countdown ticks", d -> {
      String now = text("#create-countdown");
      return seconds(now) < firstSeconds ? now : null;
    });
    assertThat(seconds(later)).isLessThan(firstSeconds);
    assertThat(client.get(backupsPath()).json()).as("nothing was started").hasSize(1);
    return backupId;
  }

  private void deleteTheBackupThroughTheConfirmationDialog(long backupId) {
    clickWhenReady("the backup's delete button", "button[data-key='delete-" + backupId + "']");
    WebElement dialog = awaitElement("the delete dialog", "dialog[open]");
    assertThat(dialog.getText()).contains("Delete backup " + backupId + "?");
    // by keyboard: Cancel has the focus (the safe choice); Shift+Tab reaches "Delete backup", Enter presses it
    assertThat(browser.driver().switchTo().activeElement().getText()).isEqualTo("Cancel");
    new Actions(browser.driver()).keyDown(Keys.SHIFT).sendKeys(Keys.TAB).keyUp(Keys.SHIFT).perform();
    WebElement delete = browser.driver().switchTo().activeElement();
    assertThat(delete.getText()).isEqualTo("Delete backup");
    delete.sendKeys(Keys.ENTER);
    awaitPage(Duration.ofMinutes(1), "the backup disappears from the page", d -> d.findElements(By.cssSelector("#backups-table tr[data-backup-id='" + backupId + "']")).isEmpty());
    awaitElement("the empty backups list", "#no-backups");
    assertThat(client.get(backupsPath()).json()).isEmpty();
    // and: the window that backup held is free again, so the countdown is gone; so are its steps
    assertThat(text("#create-countdown")).isEmpty();
    assertThat(browser.find("#create-backup").isEnabled()).isTrue();
    awaitPage(Browser.WAIT, "the deleted backup's steps are gone", d -> d.findElements(By.cssSelector("#backup-progress")).isEmpty());
  }

  private void setAWeeklyScheduleAndSeeTheNextRunsInItsZone() {
    LocalDate date = LocalDate.now(TOKYO).plusDays(3);
    DayOfWeek day = date.getDayOfWeek();
    new Select(browser.find("#schedule-frequency")).selectByValue("WEEKLY");
    awaitPage(Browser.WAIT, "the day field shows", d -> browser.find("#schedule-day").isDisplayed());
    new Select(browser.find("#schedule-day")).selectByValue(day.name());
    WebElement time = browser.find("#schedule-time");
    time.clear();
    time.sendKeys("03:15");
    WebElement zone = browser.find("#schedule-zone");
    zone.clear();
    zone.sendKeys("Asia/Tokyo");
    WebElement enabled = browser.find("#schedule-enabled");
    if (!enabled.isSelected()) {
      enabled.click();
    }
    browser.find("#save-schedule").click();
    awaitText("the schedule is saved", "#schedule-status", "Schedule saved");

    // then: stored as set, through the API
    JsonNode stored = client.get("/clusters/" + testCluster.clusterId() + "/backup-schedule").json();
    assertThat(stored.path("frequency").asText()).isEqualTo("WEEKLY");
    assertThat(stored.path("dayOfWeek").asText()).isEqualTo(day.name());
    assertThat(stored.path("time").asText()).isEqualTo("03:15");
    assertThat(stored.path("timeZone").asText()).isEqualTo("Asia/Tokyo");
    assertThat(stored.path("enabled").asBoolean()).isTrue();
    Instant next = date.atTime(LocalTime.of(3, 15)).atZone(TOKYO).toInstant();
    assertThat(Instant.parse(stored.path("nextRunAt").asText())).isEqualTo(next);

    // and: the next runs, the API's first and the following ones computed in the page, in Tokyo's time
    assertThat(text("#schedule-summary")).contains("Weekly on " + display(day) + " at 03:15 (Asia/Tokyo)");
    assertThat(text("#next-runs-note")).contains("Asia/Tokyo").doesNotContain("Preview");
    List<WebElement> runs = browser.findAll("#schedule-next-runs > li");
    assertThat(runs).hasSize(5);
    for (int i = 0; i < runs.size(); i++) {
      WebElement at = runs.get(i).findElement(By.cssSelector("time"));
      assertThat(Instant.parse(at.getAttribute("datetime"))).isEqualTo(next.plus(Duration.ofDays(7L * i)));
      assertThat(at.getText()).contains(display(day)).contains("03:15").contains("GMT+9");
    }
    browser.screenshot("07-weekly-schedule", browser.find("#schedule"));
  }

  /**
   * The runs after the first are computed in the browser: across clock changes (a skipped time runs
   * when the clocks jump, a repeated one at its first occurrence) they are the instants Backstop's
   * own rule gives.
   */
  private void computeTheNextRunsAsBackstopDoesAcrossDaylightSaving() {
    record Case(BackupSchedule schedule, Instant after) {}
    List<Case> cases = List.of(
        new Case(new BackupSchedule(Frequency.DAILY, Optional.empty(), LocalTime.of(2, 30), ZoneId.of("Europe/Berlin"), true), Instant.parse("2025-03-25T00:00:00Z")),
        new Case(new BackupSchedule(Frequency.DAILY, Optional.empty(), LocalTime.of(2, 30), ZoneId.of("Europe/Berlin"), true), Instant.parse("2025-10-22T00:00:00Z")),
        new Case(new BackupSchedule(Frequency.WEEKLY, Optional.of(DayOfWeek.SUNDAY), LocalTime.of(2, 0), ZoneId.of("America/New_York"), true), Instant.parse("2025-02-20T12:00:00Z")),
        new Case(new BackupSchedule(Frequency.WEEKLY, Optional.of(DayOfWeek.SUNDAY), LocalTime.of(1, 30), ZoneId.of("America/New_York"), true), Instant.parse("2025-10-20T12:00:00Z")),
        new Case(new BackupSchedule(Frequency.DAILY, Optional.empty(), LocalTime.of(2, 15), ZoneId.of("Australia/Lord_Howe"), true), Instant.parse("2025-09-30T00:00:00Z")));
    for (Case c : cases) {
      List<String> expected = new ArrayList<>();
      Instant at = c.after();
      for (int i = 0; i < 10; i++) {
        at = c.schedule().nextRunAfter(at).orElseThrow();
        expected.add(at.toString());
      }
      Object computed = browser.asyncScript(
          """
          const [frequency, dayOfWeek, time, timeZone, after, done] = arguments;
          import('/console/schedule.js')
            .then(m => done(m.nextRuns({ frequency, dayOfWeek, time, timeZone, enabled: true, nextRunAt: null }, 10, Date.parse(after))
              .map(ms => new Date(ms).toISOString().replace('.000Z', 'Z'))))
            .catch(e => done('failed: ' + e));
          """,
          c.schedule().frequency().name(), c.schedule().dayOfWeek().map(DayOfWeek::name).orElse(null), c.schedule().timeText(),
          c.schedule().zone().getId(), c.after().toString());
      assertThat(computed).as(c.toString()).isEqualTo(expected);
    }
  }

  private void seeTheConfirmedStopFailWhileTheComponentsStillAnswer() {
    browser.open(baseUrl() + "/#/clusters/" + restoreClusterId + "/restores/" + restoreId);
    awaitElement("the restore's phases", "#restore-detail[data-restore-id='" + restoreId + "']");
    awaitPage(RESTORE_END, "the restore fails at STOP_COMPONENTS", d -> "FAILED".equals(attribute("#restore-detail", "data-state")));
    assertThat(attribute("#restore-phases tr[data-phase=PREFLIGHT]", "data-state")).isEqualTo("COMPLETED");
    assertThat(attribute("#restore-phases tr[data-phase=STOP_COMPONENTS]", "data-state")).isEqualTo("FAILED");
    assertThat(attribute("#restore-phases tr[data-phase=DELETE_INDICES]", "data-state")).isEqualTo("PENDING");
    assertThat(text("#restore-failure")).contains("still answering");
    assertThat(browser.findAll("#restore-waiting")).isEmpty();
    browser.screenshot("08-restore-failed-stop", browser.find("#restore-detail"));
  }

  private void everyInputIsLabelledAndTheFocusIsVisible() {
    for (String page : List.of("/#/audit", "/#/clusters/" + testCluster.clusterId())) {
      browser.open(baseUrl() + page);
      awaitElement("the page's heading", "#main h1");
      if (page.contains("/clusters/")) {
        awaitElement("the schedule editor", "#schedule-form");
        awaitElement("the backups", "#no-backups, #backups-table");
      }
      assertEveryControlIsNamed(page);
    }
    // The page's heading has the focus after the route change; Tab goes on from there through the
    // page's controls, each showing a focus outline.
    assertThat(browser.driver().switchTo().activeElement().getTagName()).isEqualTo("h1");
    List<String> focused = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      new Actions(browser.driver()).sendKeys(Keys.TAB).perform();
      WebElement active = browser.driver().switchTo().activeElement();
      focused.add(active.getTagName() + "#" + active.getAttribute("id"));
      assertThat(browser.script(FOCUS_OUTLINE)).as("focus outline on " + focused.getLast()).isEqualTo(true);
    }
    assertThat(focused).startsWith("input#backup-name", "button#create-backup");
    // and the skip link, first in the page, shows itself when focused
    browser.script("document.querySelector('.skip-link').focus()");
    assertThat(browser.script(FOCUS_OUTLINE)).as("focus outline on the skip link").isEqualTo(true);
    assertThat(browser.script("return document.querySelector('.skip-link').getBoundingClientRect().top >= 0")).isEqualTo(true);
  }

  private void seeTheSignInPageWhenTheClientIsDeleted() {
    browser.open(baseUrl() + "/#/clusters/" + testCluster.clusterId());
    awaitText("the test cluster's page", "#main h1", "testbed");
    Api.Answer deleted = operator.delete("/admin/organizations/" + testCluster.organizationId() + "/clients/" + clientId);
    assertThat(deleted.status()).as(deleted.toString()).isEqualTo(204);
    clientId = null;
    // the page's next poll is answered 401
    awaitText("the sign-in page", "#main h1", "Sign in to Backstop");
    assertThat(text("#main .message.info")).contains("HTTP 401").contains("Sign in again");
    assertThat(browser.script("return sessionStorage.getItem('backstop.console.token')")).isNull();
  }

  private void letTheOperatorCreateAClientSeeItsSecretOnceAndDeleteIt() {
    WebElement id = awaitElement("the sign-in form", "input[name=client_id]");
    id.sendKeys(OPERATOR_ID);
    browser.find("input[name=client_secret]").sendKeys(OPERATOR_SECRET + Keys.ENTER);
    awaitText("the clusters overview", "#main h1", "Clusters");
    clickWhenReady("the operator's link", "#nav a[href='#/admin']");
    awaitText("the administration page", "#main h1", "Administration");
    awaitText("the regions", "#regions-table", "local-b");
    awaitText("the organizations", "#organizations-table", "it-enterprise");
    assertEveryControlIsNamed("/#/admin");

    // when: an API client is created in the test cluster's organization
    awaitPage(Browser.WAIT, "the organizations to choose from", d -> d.findElements(By.cssSelector("#client-org option")).size() > 1);
    new Select(browser.find("#client-org")).selectByValue(testCluster.organizationId());
    browser.find("#client-name").sendKeys("made-in-the-console");
    browser.find("#perm-backups-write").click();
    browser.find("#client-form button[type=submit]").click();

    // then: its secret, shown this once, with the warning saying so, and it works
    WebElement secretField = awaitElement("the new secret", "#new-client-secret");
    String madeId = browser.find("#new-client-id").getAttribute("value");
    String madeSecret = secretField.getAttribute("value");
    assertThat(text("#secret-warning")).contains("The secret is shown only once");
    awaitPage(Browser.WAIT, "the copy button", d -> d.findElements(By.xpath("//button[normalize-space()='Copy secret']")).stream().findFirst().map(b -> { b.click(); return true; }).orElse(false));
    awaitText("the copy is confirmed", "#new-client [role=status]", "Secret copied");
    Api.Answer token = Api.anonymous(baseUrl()).token(madeId, madeSecret);
    assertThat(token.status()).as(token.toString()).isEqualTo(200);
    assertThat(Api.as(baseUrl(), madeId, madeSecret).get("/clusters").json().findValuesAsText("name")).contains("testbed");
    browser.screenshot("09-admin-new-client-secret", browser.find("#clients-heading"));

    // and: deleted through the confirmation dialog, it no longer signs in
    new Select(browser.find("#delete-client-org")).selectByValue(testCluster.organizationId());
    browser.find("#delete-client-id").sendKeys(madeId);
    browser.find("#delete-client-form button[type=submit]").click();
    WebElement dialog = awaitElement("the delete dialog", "dialog[open]");
    assertThat(dialog.getText()).contains("Delete API client " + madeId + "?");
    dialog.findElement(By.cssSelector("button[type=submit]")).click();
    awaitText("the deletion is confirmed", "#delete-client-form ~ [role=status]", "API client " + madeId + " deleted");
    assertThat(Api.anonymous(baseUrl()).token(madeId, madeSecret).status()).isEqualTo(401);

    // and: signing out leads back to the sign-in page, the token gone
    clickWhenReady("sign out", "#session button");
    awaitText("the sign-in page", "#main h1", "Sign in to Backstop");
    assertThat(text("#main .message.info")).contains("You signed out");
    assertThat(browser.script("return sessionStorage.getItem('backstop.console.token')")).isNull();

    // and: a token past its expiry is not used: the console asks to sign in again
    browser.script(
        "const part = o => btoa(JSON.stringify(o)).replaceAll('=', '');"
            + "sessionStorage.setItem('backstop.console.token', part({alg: 'HS256'}) + '.' + part({sub: 'someone', permissions: ['admin'], exp: 1}) + '.x');"
            + "location.hash = '#/clusters';");
    awaitText("the expiry is said", "#main .message.info", "Your session has expired");
    assertThat(text("#main h1")).isEqualTo("Sign in to Backstop");
  }

  /** Every form control has a label (or an ARIA name), every button a name, every table a caption. */
  private static void assertEveryControlIsNamed(String page) {
    @SuppressWarnings("unchecked")
    List<Object> controls = (List<Object>) browser.script(
        """
        return [...document.querySelectorAll('input, select, textarea')]
          .filter(e => e.type !== 'hidden')
          .map(e => [e.id || e.name, (e.labels && [...e.labels].some(l => l.textContent.trim() !== ''))
              || !!e.getAttribute('aria-label') || !!e.getAttribute('aria-labelledby')]);
        """);
    assertThat(controls).as("form controls on " + page).isNotEmpty();
    List<Object> unlabelled = controls.stream().filter(c -> !Boolean.TRUE.equals(((List<?>) c).get(1))).toList();
    assertThat(unlabelled).as("controls without a label on " + page).isEmpty();
    Object unnamedButtons = browser.script(
        "return [...document.querySelectorAll('button')].filter(b => !b.textContent.trim() && !b.getAttribute('aria-label')).length");
    assertThat(unnamedButtons).as("buttons without a name on " + page).isEqualTo(0L);
    Object tablesWithoutCaption = browser.script("return [...document.querySelectorAll('table')].filter(t => !t.caption).length");
    assertThat(tablesWithoutCaption).as("tables without a caption on " + page).isEqualTo(0L);
  }

  // ------------------------------------------------------------------------------------ cleanup

  /** Ends what the test started on the shared test bed, also after a failure. */
  @AfterEach
  void cleanUp() {
    client.delete("/clusters/" + testCluster.clusterId() + "/backup-schedule");
    if (restoreClusterId != null) {
      endTheRestoreIfItWaits();
      Api.Answer deleted = operator.delete("/clusters/" + restoreClusterId + "?confirm=console-restore");
      assertThat(deleted.status()).as(deleted.toString()).isEqualTo(202);
      await("the restore cluster and its backup are deleted").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
          .until(() -> operator.get("/clusters/" + restoreClusterId).status() == 404);
    }
    if (clientId != null) {
      operator.delete("/admin/organizations/" + testCluster.organizationId() + "/clients/" + clientId);
    }
    setPolicy("PT0S", 3, 3);
  }

  /** No restore can be aborted: one left waiting at the stop is confirmed, and fails since the components answer. */
  private void endTheRestoreIfItWaits() {
    Set<String> active = Set.of("REQUESTED", "RUNNING", "WAITING");
    for (JsonNode restore : operator.get("/clusters/" + restoreClusterId + "/restores").json()) {
      String id = restore.path("id").asText();
      if (restore.path("state").asText().equals("WAITING") && restore.path("phase").asText().equals("STOP_COMPONENTS")) {
        operator.postJson("/clusters/" + restoreClusterId + "/restores/" + id + "/confirm", Map.of("phase", "STOP_COMPONENTS"));
      }
      await("restore " + id + " ends").atMost(RESTORE_END).pollInterval(Duration.ofSeconds(1))
          .until(() -> !active.contains(operator.get("/clusters/" + restoreClusterId + "/restores/" + id).json().path("state").asText()));
    }
  }

  // ------------------------------------------------------------------------------------ helpers

  private static WebElement row(String clusterId) {
    return browser.find("#clusters-table tr[data-cluster-id='" + clusterId + "']");
  }

  private static String display(DayOfWeek day) {
    return day.getDisplayName(TextStyle.FULL, Locale.ENGLISH);
  }

  private static long seconds(String countdown) {
    Matcher m = COUNTDOWN.matcher(countdown);
    if (!m.find()) {
      throw new AssertionError("not a countdown: " + countdown);
    }
    long hours = m.group(1) == null ? 0 : Long.parseLong(m.group(1));
    long minutes = m.group(2) == null ? 0 : Long.parseLong(m.group(2));
    return hours * 3600 + minutes * 60 + Long.parseLong(m.group(3));
  }

  /** Waits; the page re-renders parts of itself, so an element found a moment ago may be stale: tried again. */
  private static <T> T awaitPage(Duration timeout, String what, Function<WebDriver, T> condition) {
    WebDriverWait wait = new WebDriverWait(browser.driver(), timeout, Duration.ofMillis(200));
    wait.withMessage(what).ignoring(StaleElementReferenceException.class);
    return wait.until(condition);
  }

  private static <T> T retrying(Function<WebDriver, T> read) {
    return awaitPage(Browser.WAIT, "reading the page", read);
  }

  private static String readText(Function<WebDriver, String> read) {
    return retrying(read);
  }

  private static WebElement awaitElement(String what, String css) {
    return awaitPage(Browser.WAIT, what, d -> d.findElements(By.cssSelector(css)).stream().filter(WebElement::isDisplayed).findFirst().orElse(null));
  }

  private static String awaitText(String what, String css, String contained) {
    return awaitPage(Browser.WAIT, what + " (" + css + " showing '" + contained + "')", d -> {
      for (WebElement element : d.findElements(By.cssSelector(css))) {
        String text = element.getText();
        if (text.contains(contained)) {
          return text;
        }
      }
      return null;
    });
  }

  private static void clickWhenReady(String what, String css) {
    awaitPage(Browser.WAIT, what, d -> {
      List<WebElement> found = d.findElements(By.cssSelector(css));
      if (found.isEmpty() || !found.getFirst().isDisplayed() || !found.getFirst().isEnabled()) {
        return false;
      }
      found.getFirst().click();
      return true;
    });
  }

  private static String text(String css) {
    return retrying(d -> d.findElement(By.cssSelector(css)).getText());
  }

  private static String attribute(String css, String name) {
    return retrying(d -> {
      List<WebElement> found = d.findElements(By.cssSelector(css));
      return found.isEmpty() ? "" : found.getFirst().getAttribute(name);
    });
  }
}
