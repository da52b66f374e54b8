package dev.backstop.testbed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
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
  void shouldFindEachVersionsDistributionTheDefaultOneFirst() {
    TestbedFiles files = TestbedFiles.locate();

    assertThat(files.camundaHome()).isEqualTo(files.camundaHome(CamundaVersion.V8_6_0));
    assertThat(files.camundaHome().resolve("bin/operate")).isExecutable();
    Path previous = files.camundaHome(CamundaVersion.V8_5_8);
    assertThat(previous.getFileName()).hasToString("camunda-zeebe-8.5.8");
    assertThat(previous.resolve("bin/restore")).isExecutable();
    assertThat(previous.resolve("bin/zbctl")).isExecutable();
    // the 8.5 distribution of Zeebe ships no web apps: the test bed runs none for it
    assertThat(previous.resolve("bin/operate")).doesNotExist();
    assertThat(CamundaVersion.V8_5_8.hasWebApps()).isFalse();
  }

  @Test
  void shouldSayHowToBuildAVersionWhoseDistributionIsMissing(@TempDir Path home) throws Exception {
    // given: the files of the default version only
    Files.createDirectories(home.resolve("camunda-zeebe-8.6.0/bin"));
    Files.createFile(home.resolve("camunda-zeebe-8.6.0/bin/broker"));
    Files.createDirectories(home.resolve("s3proxy"));
    Files.createFile(home.resolve("s3proxy/s3proxy.jar"));
    Files.createDirectories(home.resolve("opensearch"));
    Files.createFile(home.resolve("opensearch/opensearch-launcher.jar"));
    TestbedFiles files = TestbedFiles.in(home);

    // when / then
    assertThatThrownBy(() -> files.camundaHome(CamundaVersion.V8_5_8))
        .isInstanceOf(TestbedException.class)
        .hasMessageContaining("Camunda 8.5.8")
        .hasMessageContaining("mvn -DskipTests install");
  }

  @Test
  void shouldSayHowToBuildTheFilesWhenTheyAreMissing(@TempDir Path empty) {
    assertThatThrownBy(() -> TestbedFiles.in(empty))
        .isInstanceOf(TestbedException.class)
        .hasMessageContaining("mvn -DskipTests install")
        .hasMessageContaining(TestbedFiles.HOME_VARIABLE);
  }
}
