package dev.backstop.testbed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestbedFilesTest {

  @Test
  void shouldFindWhatTheBuildLaidOut() {
    TestbedFiles files = TestbedFiles.locate();

    assertThat(files.camundaHome().resolve("bin/restore")).isExecutable();
    assertThat(files.s3ProxyJar()).isRegularFile();
    assertThat(files.openSearchClassPath()).contains("opensearch-launcher.jar");
  }

  @Test
  void shouldSayHowToBuildTheFilesWhenTheyAreMissing(@TempDir Path empty) {
    assertThatThrownBy(() -> TestbedFiles.in(empty))
        .isInstanceOf(TestbedException.class)
        .hasMessageContaining("mvn -DskipTests install")
        .hasMessageContaining(TestbedFiles.HOME_VARIABLE);
  }
}
