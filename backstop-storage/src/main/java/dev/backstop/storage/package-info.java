/**
 * Object stores (S3-compatible first) and the replication of a backup's objects from a cluster's
 * primary region to its secondary one.
 */
package dev.backstop.storage;
