package dev.backstop.server.api;

import dev.backstop.core.policy.BackupPolicy;

/**
 * A cluster's backup policy as the API shows it (and takes it).
 *
 * @param manualRateLimit ISO-8601 duration; {@code PT0S} means no limit
 */
public record PolicyView(String manualRateLimit, int manualRetention, int scheduledRetention) {

  static PolicyView of(BackupPolicy policy) {
    return new PolicyView(policy.manualRateLimit().toString(), policy.manualRetention(), policy.scheduledRetention());
  }
}
