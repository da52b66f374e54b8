package dev.backstop.core.policy;

import dev.backstop.core.usecase.FieldError;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A cluster's backup policy.
 *
 * @param manualRateLimit at most one manual backup per this window; zero means no limit
 * @param manualRetention how many COMPLETED manual backups are kept (at least 1)
 * @param scheduledRetention how many scheduled backups, completed and failed together, are kept (at least 1)
 */
public record BackupPolicy(Duration manualRateLimit, int manualRetention, int scheduledRetention) {

  /** The seeds' defaults: one manual backup per 5 hours, 3 kept of each kind. */
  public static final BackupPolicy DEFAULTS = new BackupPolicy(Duration.ofHours(5), 3, 3);

  /** How many FAILED manual backups are kept for diagnosis. */
  public static final int FAILED_MANUAL_BACKUPS_KEPT = 3;

  public BackupPolicy {
    List<FieldError> errors = errors(manualRateLimit, manualRetention, scheduledRetention);
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", errors.stream().map(e -> e.field() + ": " + e.message()).toList()));
    }
  }

  /** Every reason the values do not make a policy; empty when they do. */
  public static List<FieldError> errors(Duration manualRateLimit, Integer manualRetention, Integer scheduledRetention) {
    List<FieldError> errors = new ArrayList<>();
    if (manualRateLimit == null) {
      errors.add(new FieldError("manualRateLimit", "is required, an ISO-8601 duration such as PT5H (PT0S: no limit)"));
    } else if (manualRateLimit.isNegative()) {
      errors.add(new FieldError("manualRateLimit", "must not be negative"));
    }
    if (manualRetention == null || manualRetention < 1) {
      errors.add(new FieldError("manualRetention", "must be at least 1"));
    }
    if (scheduledRetention == null || scheduledRetention < 1) {
      errors.add(new FieldError("scheduledRetention", "must be at least 1"));
    }
    return errors;
  }
}
