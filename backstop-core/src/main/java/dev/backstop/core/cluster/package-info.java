/**
 * Clusters as Backstop knows them: generation, location, component endpoints, storage layout; the
 * preflight port that checks them, and the directory port the use cases look clusters up in.
 */
package dev.backstop.core.cluster;
