package dev.backstop.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;

/** The polling defaults of {@code backstop.backup}, as shipped in application.yaml and as the record's own. */
class BackupSettingsTest {

  @Test
  void shouldPollFastFirstAndBackOffToOneSecondByDefault() throws IOException {
    // given: Backstop's application.yaml
    StandardEnvironment environment = new StandardEnvironment();
    new YamlPropertySourceLoader().load("application", new ClassPathResource("application.yaml"))
        .forEach(source -> environment.getPropertySources().addLast(source));

    // when
    BackupSettings settings = new Binder(ConfigurationPropertySources.get(environment)).bind("backstop.backup", BackupSettings.class).get();

    // then: a first poll 25 ms after a start, growing to a poll a second (the documented script's pace)
    assertThat(settings.firstPoll()).isEqualTo(Duration.ofMillis(25));
    assertThat(settings.maxPoll()).isEqualTo(Duration.ofSeconds(1));
    assertThat(settings.procedureSettings().firstPoll()).isEqualTo(Duration.ofMillis(25));
  }

  @Test
  void shouldHaveTheSamePollingDefaultsWithoutApplicationYaml() {
    // given: only one unrelated property set
    Binder binder = new Binder(new MapConfigurationPropertySource(Map.of("backstop.backup.manual-retention", "3")));

    // when
    BackupSettings settings = binder.bind("backstop.backup", BackupSettings.class).get();

    // then
    assertThat(settings.firstPoll()).isEqualTo(Duration.ofMillis(25));
    assertThat(settings.maxPoll()).isEqualTo(Duration.ofSeconds(1));
  }
}
