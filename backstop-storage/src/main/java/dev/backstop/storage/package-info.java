/**
 * Object stores (S3-compatible first) and the replication of a backup's objects from a cluster's
 * primary region to its secondary one.
 *
 * <p>{@link dev.backstop.storage.ObjectStore} is the port; its adapters live in {@code s3} (any
 * S3-compatible server) and {@code fs} (a directory). Each passes the contract kit {@code
 * ObjectStoreContract}, published with an in-memory fake ({@code InMemoryObjectStore}) in this
 * module's test-jar, so that other modules can hold their own stores to the same contract.
 */
package dev.backstop.storage;
