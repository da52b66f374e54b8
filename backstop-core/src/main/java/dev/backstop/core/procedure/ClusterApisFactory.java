package dev.backstop.core.procedure;

import dev.backstop.core.cluster.Cluster;

/** Connects to a cluster's components, for its generation. */
@FunctionalInterface
public interface ClusterApisFactory {
  ClusterApis connect(Cluster cluster);
}
