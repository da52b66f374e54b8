package dev.backstop.core.verification;

import dev.backstop.core.backup.BackupId;
import dev.backstop.core.cluster.Cluster;
import java.util.List;
import java.util.Map;

/** Checks what one region's object store holds of a completed backup, without restoring it. */
public interface BackupVerifier {

  /**
   * Checks backup {@code id} in {@code region}: each Zeebe partition's manifest COMPLETED and every
   * file it lists present; each search snapshot of the backup SUCCESS in the region's repository
   * and every blob it references present at the size its metadata records. Read-only, so it may
   * run at any time and as often as wanted.
   *
   * @throws VerificationUnavailable when the region's store cannot be read (transient: nothing is
   *     known about the backup)
   */
  Findings inspect(Cluster cluster, BackupId id, String region);

  /**
   * What one region holds.
   *
   * @param problems what is missing or wrong, each naming the object (key, and expected and found
   *     sizes where they differ); empty when the region's copy is whole
   * @param unrecordedSizes the objects whose size no metadata records (Zeebe's manifests list file
   *     names only), key → size found: their sizes are remembered at the first check and compared
   *     at later ones
   */
  record Findings(List<String> problems, Map<String, Long> unrecordedSizes) {
    public Findings {
      problems = List.copyOf(problems);
      unrecordedSizes = Map.copyOf(unrecordedSizes);
    }
  }
}
