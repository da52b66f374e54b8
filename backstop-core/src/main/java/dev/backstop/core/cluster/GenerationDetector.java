package dev.backstop.core.cluster;

import java.util.Map;

/**
 * Reads the Camunda version a cluster's components report themselves (their build info), so that
 * a cluster upgraded or downgraded since it was registered is noticed before Backstop runs the
 * wrong generation's procedure on it.
 */
@FunctionalInterface
public interface GenerationDetector {

  /**
   * The Camunda version each component reported ({@code zeebe}, {@code operate}, {@code
   * tasklist}); a component that did not answer, or answered without a version, is left out.
   */
  Map<String, String> reportedVersions(ComponentEndpoints endpoints);

  /** Detects nothing: every registered generation is taken on trust. */
  GenerationDetector NONE = endpoints -> Map.of();
}
