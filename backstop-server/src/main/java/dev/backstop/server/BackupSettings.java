package dev.backstop.server;

import dev.backstop.core.backup.BackupService;
import dev.backstop.core.operation.Backoff;
import dev.backstop.core.policy.BackupPolicy;
import dev.backstop.core.procedure.BackupProcedure;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Backup defaults and tuning ({@code backstop.backup.*}).
 *
 * @param manualRateLimit default window of the manual rate limit ({@code PT0S}: none)
 * @param manualRetention default number of completed manual backups kept
 * @param scheduledRetention default number of scheduled backups kept
 * @param webAppTimeout how long the web-app backups may take
 * @param recordsSnapshotTimeout how long the records snapshot may take
 * @param zeebeTimeout how long Zeebe's backup may take
 * @param exportingTimeout how long pausing or resuming exporting may keep failing
 * @param unreachableTolerance how long a component may not answer during a wait
 * @param firstPoll first pause between polls (growing by half up to {@code maxPoll}): short, so
 *     that a step that takes the components a few hundred milliseconds is seen done about then;
 *     exporting stays paused while Zeebe's steps are polled
 * @param maxPoll longest pause between polls: a second, the documented script's pace, cheap for
 *     the components also for backups that take many minutes
 * @param firstRetry the wait before work that must be repeated (a resume, a part's cleanup, a
 *     deletion, a run that broke off) is tried again; doubled after each failure …
 * @param maxRetry … up to this
 * @param replicationParallelism how many objects one replication copies at once
 * @param replicationAttempts how many failed attempts make a replication FAILED (spaced like
 *     the other retries)
 * @param requestTimeout how long one call to a component's API may take before it counts as
 *     unanswered (a hung component); the waits' {@code unreachableTolerance} then applies
 * @param quickPoll longest pause between polls that cost the components little (the search
 *     engine's running snapshots, watched while the web apps back up) or are made while exporting
 *     is paused (the records snapshot, Zeebe's backup)
 * @param webAppBackups the web-app backups taken {@code together}, {@code one-at-a-time}, or
 *     {@code auto}: one at a time where the search engine has a single snapshot thread (a node has
 *     half its cores, at most 5; backups taken together only interleave on one), together otherwise
 */
@ConfigurationProperties("backstop.backup")
public record BackupSettings(
    @DefaultValue("PT5H") Duration manualRateLimit,
    @DefaultValue("3") int manualRetention,
    @DefaultValue("3") int scheduledRetention,
    @DefaultValue("PT30M") Duration webAppTimeout,
    @DefaultValue("PT30M") Duration recordsSnapshotTimeout,
    @DefaultValue("PT30M") Duration zeebeTimeout,
    @DefaultValue("PT2M") Duration exportingTimeout,
    @DefaultValue("PT2M") Duration unreachableTolerance,
    @DefaultValue("PT0.025S") Duration firstPoll,
    @DefaultValue("PT1S") Duration maxPoll,
    @DefaultValue("PT5S") Duration firstRetry,
    @DefaultValue("PT1M") Duration maxRetry,
    @DefaultValue("16") int replicationParallelism,
    @DefaultValue("8") int replicationAttempts,
    @DefaultValue("PT30S") Duration requestTimeout,
    @DefaultValue("PT0.1S") Duration quickPoll,
    @DefaultValue("auto") BackupProcedure.WebAppBackups webAppBackups) {

  public BackupPolicy defaultPolicy() {
    return new BackupPolicy(manualRateLimit, manualRetention, scheduledRetention);
  }

  public BackupProcedure.Settings procedureSettings() {
    return new BackupProcedure.Settings(
        webAppTimeout, recordsSnapshotTimeout, zeebeTimeout, exportingTimeout, unreachableTolerance, firstPoll, maxPoll, cleanupRetries(), quickPoll, webAppBackups);
  }

  public BackupService.ReplicationSettings replicationSettings() {
    return new BackupService.ReplicationSettings(cleanupRetries(), replicationAttempts, Duration.ofSeconds(2));
  }

  public Backoff cleanupRetries() {
    return new Backoff(firstRetry, maxRetry);
  }
}
