package dev.backstop.core.cluster;

/** Checks a cluster's components before (and whenever) Backstop relies on them. */
@FunctionalInterface
public interface Preflight {

  /** Never throws: every problem is reported in the result. */
  PreflightReport check(ComponentEndpoints endpoints);
}
