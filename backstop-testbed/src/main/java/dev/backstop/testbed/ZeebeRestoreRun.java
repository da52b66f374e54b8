package dev.backstop.testbed;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A successful run of Zeebe's restore tool ({@code bin/restore}), see {@link Testbed#restoreZeebe}.
 *
 * @param backupId the backup restored
 * @param region the region whose bucket it was read from
 * @param dataDirectory the broker data directory it was restored into
 * @param exitCode the tool's exit code (0)
 * @param logTail the last lines of the tool's log
 * @param duration how long the tool ran
 */
public record ZeebeRestoreRun(
    long backupId, S3Region region, Path dataDirectory, int exitCode, String logTail, Duration duration) {}
