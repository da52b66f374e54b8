package dev.backstop.core.cluster;

import java.util.Optional;

/**
 * Where a cluster's backups are kept: in its own region, or there and replicated to a second one.
 *
 * @param type {@code SAME_REGION} or {@code DUAL_REGION}
 * @param secondaryRegion the second region, present exactly for {@code DUAL_REGION}
 */
public record BackupLocation(Type type, Optional<String> secondaryRegion) {

  public enum Type {
    SAME_REGION,
    DUAL_REGION
  }

  public BackupLocation {
    if ((type == Type.DUAL_REGION) != secondaryRegion.isPresent()) {
      throw new IllegalArgumentException("a secondary region goes with DUAL_REGION, and only with it");
    }
  }

  public static BackupLocation sameRegion() {
    return new BackupLocation(Type.SAME_REGION, Optional.empty());
  }

  public static BackupLocation dualRegion(String secondaryRegion) {
    return new BackupLocation(Type.DUAL_REGION, Optional.of(secondaryRegion));
  }
}
