package dev.backstop.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JdkTest {

  @Test
  void shouldReadTheFeatureReleaseFromEveryVersionScheme() {
    assertThat(Jdk.parseFeature("1.8.0_392")).isEqualTo(8);
    assertThat(Jdk.parseFeature("17.0.15")).isEqualTo(17);
    assertThat(Jdk.parseFeature("21")).isEqualTo(21);
    assertThat(Jdk.parseFeature("25.0.1+9")).isEqualTo(25);
  }

  @Test
  void shouldFindAJdkThatCamundaRunsOn() {
    assertThat(Jdk.featureVersion(Jdk.findHome())).get().satisfies(v -> assertThat(v).isGreaterThanOrEqualTo(21));
  }
}
