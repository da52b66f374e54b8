package dev.backstop.core.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class GenerationTest {

  private final Generation registered = Generation.parse("8.6.0");

  @Test
  void shouldFindNoMismatchWhenEveryComponentReportsTheRegisteredVersion() {
    assertThat(registered.mismatchesWith(Map.of("zeebe", "8.6.0", "operate", "8.6.0"))).isEmpty();
    assertThat(registered.mismatchesWith(Map.of())).isEmpty();
  }

  @Test
  void shouldNameEachComponentReportingAnotherMinorVersion() {
    assertThat(registered.mismatchesWith(Map.of("zeebe", "8.7.0", "tasklist", "8.5.8", "operate", "8.6.0")))
        .containsExactly("tasklist reports 8.5.8", "zeebe reports 8.7.0");
  }

  @Test
  void shouldLetPatchReleasesPassSoThatAPatchUpgradeDoesNotStopBackups() {
    assertThat(registered.mismatchesWith(Map.of("zeebe", "8.6.3", "operate", "8.6.1"))).isEmpty();
  }

  @Test
  void shouldCountAnUnreadableVersionAsAMismatch() {
    assertThat(registered.mismatchesWith(Map.of("zeebe", "dev-SNAPSHOT"))).containsExactly("zeebe reports dev-SNAPSHOT");
  }

  @Test
  void shouldTakeAQualifiedVersionForItsNumbers() {
    assertThat(registered.mismatchesWith(Map.of("zeebe", "8.6.0-rc1"))).isEmpty();
  }
}
