package dev.backstop.storage.replication;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backstop.core.backup.BackupId;
import dev.backstop.core.cluster.Cluster;
import dev.backstop.core.restore.BackupInventory;
import dev.backstop.storage.ObjectStore;
import dev.backstop.storage.ObjectStoreException;
import dev.backstop.storage.StoredObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Reads a backup's Zeebe manifests in a region's copy of the backup store (8.2 – 8.7 S3 layout,
 * {@code <basePath>/<partitionId>/<backupId>/<nodeId>/manifest.json}) and checks the backup
 * whole: a manifest for each of the partitions it says the cluster has, each COMPLETED, and every
 * snapshot and segment file it lists present.
 */
public final class ZeebeBackupInventory implements BackupInventory {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final StoreReplicator.RegionStores stores;

  public ZeebeBackupInventory(StoreReplicator.RegionStores stores) {
    this.stores = stores;
  }

  @Override
  public ZeebeCopy zeebe(Cluster cluster, String region, BackupId id) {
    ObjectStore store = stores.of(region);
    String basePath = cluster.storage().zeebeBasePath();
    return check(store, ZeebeBackupObjects.of(store.list(ZeebeBackupObjects.storePrefix(basePath)), basePath, id));
  }

  /** Checks one backup's objects, as listed ({@link ZeebeBackupObjects#of}), reading its manifests. */
  static ZeebeCopy check(ObjectStore store, List<StoredObject> objects) {
    Set<String> keys = objects.stream().map(StoredObject::key).collect(Collectors.toSet());
    List<String> problems = new ArrayList<>();
    Set<Integer> partitions = new TreeSet<>();
    int expected = 0;
    Optional<String> version = Optional.empty();
    // One manifest per partition and broker that took part; a partition is whole when one of them
    // is COMPLETED with all its files (after a leader change another broker's may have failed).
    java.util.Map<Integer, List<String>> failures = new java.util.TreeMap<>();
    for (StoredObject manifest : objects.stream().filter(ZeebeBackupObjects::isManifest).toList()) {
      JsonNode json = read(store, manifest.key());
      String folder = manifest.key().substring(0, manifest.key().length() - ZeebeBackupObjects.MANIFEST.length());
      int partition = json.path("id").path("partitionId").asInt(-1);
      expected = Math.max(expected, json.path("descriptor").path("numberOfPartitions").asInt(0));
      if (version.isEmpty() && json.path("descriptor").hasNonNull("brokerVersion")) {
        version = Optional.of(json.path("descriptor").path("brokerVersion").asText());
      }
      if (partitions.contains(partition)) {
        continue; // already whole through another broker's manifest
      }
      List<String> missing = new ArrayList<>();
      String status = json.path("statusCode").asText("").toUpperCase(java.util.Locale.ROOT);
      if (!status.equals("COMPLETED")) {
        missing.add("partition " + partition + " is " + status + (json.hasNonNull("failureReason") ? " (" + json.path("failureReason").asText() + ")" : ""));
      } else {
        for (String set : List.of("snapshot", "segments")) {
          for (String name : fileNames(json, set)) {
            if (!keys.contains(folder + set + "/" + name)) {
              missing.add("partition " + partition + " lacks " + set + " file " + name + " (" + folder + set + "/" + name + ")");
            }
          }
        }
      }
      if (missing.isEmpty()) {
        partitions.add(partition);
        failures.remove(partition);
      } else {
        failures.put(partition, missing);
      }
    }
    failures.values().forEach(problems::addAll);
    Set<Integer> seen = new TreeSet<>(partitions);
    seen.addAll(failures.keySet());
    for (int partition = 1; partition <= expected; partition++) {
      if (!seen.contains(partition)) {
        problems.add("partition " + partition + " has no manifest");
      }
    }
    return new ZeebeCopy(seen.isEmpty() ? 0 : Math.max(expected, seen.size()), version, problems);
  }

  /**
   * The names of the files a manifest lists in one set: {@code snapshotFiles}/{@code segmentFiles}
   * ({@code {"files": {name: {…}}}}, as Zeebe 8.6 writes them), or {@code snapshot}/{@code
   * segments} with a list of {@code {"name": …}} (newer stores).
   */
  private static List<String> fileNames(JsonNode manifest, String set) {
    JsonNode files = manifest.path(set.equals("snapshot") ? "snapshotFiles" : "segmentFiles").path("files");
    if (files.isMissingNode()) {
      files = manifest.path(set).path("files");
    }
    List<String> names = new ArrayList<>();
    if (files.isObject()) {
      files.fieldNames().forEachRemaining(names::add);
    } else {
      files.forEach(file -> names.add(file.path("name").asText()));
    }
    return names;
  }

  private static JsonNode read(ObjectStore store, String key) {
    try (InputStream in = store.get(key)) {
      return JSON.readTree(in);
    } catch (JsonProcessingException e) {
      // The manifest's content is wrong: a finding about the backup
      throw new UncheckedIOException("could not read " + key + " in " + store.describe(), e);
    } catch (IOException e) {
      // The download broke off: the store failed, not the backup (read again later)
      throw new ObjectStoreException("reading " + key + " from " + store.describe() + " failed: " + e.getMessage(), e);
    }
  }
}
