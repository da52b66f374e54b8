package dev.backstop.core.backup;

import java.util.List;

/**
 * One component's part of a backup.
 *
 * @param state where it stands
 * @param detail what the component said, or why it failed
 * @param artifacts what the component created, where it names it (snapshot names); the cleanup
 *     removes these directly when the component itself cannot be reached
 */
public record ComponentPart(PartState state, String detail, List<String> artifacts) {

  public ComponentPart {
    artifacts = List.copyOf(artifacts);
    detail = detail == null ? "" : detail;
  }

  public static ComponentPart pending() {
    return new ComponentPart(PartState.PENDING, "", List.of());
  }

  public ComponentPart with(PartState newState, String newDetail) {
    return new ComponentPart(newState, newDetail, artifacts);
  }

  public ComponentPart withArtifacts(List<String> newArtifacts) {
    return new ComponentPart(state, detail, newArtifacts);
  }
}
