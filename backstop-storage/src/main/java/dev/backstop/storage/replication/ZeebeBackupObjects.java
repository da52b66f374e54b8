package dev.backstop.storage.replication;

import dev.backstop.core.backup.BackupId;
import dev.backstop.storage.StoredObject;
import java.util.List;

/**
 * The objects of one backup in Zeebe's S3 backup store (8.2 – 8.7 layout):
 * {@code <basePath>/<partitionId>/<backupId>/<nodeId>/} holding {@code manifest.json} and the
 * {@code snapshot/} and {@code segments/} files. The manifest says whether the backup of that
 * partition is complete, so it is copied after the files and removed before them.
 */
final class ZeebeBackupObjects {

  static final String MANIFEST = "manifest.json";

  private ZeebeBackupObjects() {}

  /** The prefix every Zeebe object of the store lives under. */
  static String storePrefix(String basePath) {
    return basePath.isEmpty() ? "" : basePath + "/";
  }

  /** Of a listing of {@link #storePrefix}, the objects of backup {@code id}, every partition and broker. */
  static List<StoredObject> of(List<StoredObject> listing, String basePath, BackupId id) {
    String prefix = storePrefix(basePath);
    String idSegment = Long.toString(id.value());
    return listing.stream()
        .filter(object -> {
          String[] segments = object.key().substring(prefix.length()).split("/", 4);
          return segments.length == 4 && segments[1].equals(idSegment) && isNumber(segments[0]) && isNumber(segments[2]);
        })
        .toList();
  }

  static boolean isManifest(StoredObject object) {
    return object.key().endsWith("/" + MANIFEST);
  }

  private static boolean isNumber(String segment) {
    return !segment.isEmpty() && segment.chars().allMatch(Character::isDigit);
  }
}
