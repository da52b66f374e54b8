package dev.backstop.core.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RegistrationRulesTest {

  @Test
  void shouldAcceptRepositoryNamesOpenSearchAccepts() {
    for (String name : new String[] {"camunda-backups", "Camunda_Backups", "_leading", "backups.2024", "ü-backups"}) {
      assertThat(RegistrationRules.snapshotRepository(name)).as(name).isEmpty();
    }
  }

  @Test
  void shouldRefuseRepositoryNamesOpenSearchRefuses() {
    for (String name : new String[] {"", "a b", "a/b", "a\\b", "a*", "a?", "a\"b", "a<b", "a>b", "a|b", "a,b", "a#b", "a\tb", "a\nb"}) {
      assertThat(RegistrationRules.snapshotRepository(name)).as("'" + name + "'").isPresent();
    }
    assertThat(RegistrationRules.snapshotRepository(null)).contains("is required");
  }

  @Test
  void shouldAcceptOnlyIndexPrefixesThatStartAnIndexName() {
    assertThat(RegistrationRules.indexPrefix("zeebe-record")).isEmpty();
    assertThat(RegistrationRules.indexPrefix("team.a_zeebe-record")).isEmpty();
    for (String prefix : new String[] {"Zeebe", "_zeebe", "-zeebe", "+zeebe", "zee be", "zeebe*", "zeebe:record", "zeebe#", "zeebe/x"}) {
      assertThat(RegistrationRules.indexPrefix(prefix)).as(prefix).isPresent();
    }
  }

  @Test
  void shouldAcceptOnlyRelativeStoragePathsZeebeAccepts() {
    assertThat(RegistrationRules.storagePath("zeebe")).isEmpty();
    assertThat(RegistrationRules.storagePath("team-a/zeebe")).isEmpty();
    for (String path : new String[] {"/zeebe", "zeebe/", "a//b", "a/./b", "../b", "a b", "a\\b", " "}) {
      assertThat(RegistrationRules.storagePath(path)).as("'" + path + "'").isPresent();
    }
  }

  @Test
  void shouldAcceptOnlyAbsoluteHttpUrlsWithoutQueryOrFragment() {
    for (String url : new String[] {"http://zeebe:9600", "https://search.example.com/", "http://127.0.0.1:9200/prefix"}) {
      assertThat(RegistrationRules.baseUrl(url)).as(url).isEmpty();
    }
    for (String url : new String[] {"ftp://zeebe:21", "zeebe:9600", "/actuator", "http://zeebe:9600/?x=1", "http://zeebe:9600#top", "http://zee be:9600", "http://zeebe:9600?"}) {
      assertThat(RegistrationRules.baseUrl(url)).as(url).isPresent();
    }
    assertThat(RegistrationRules.baseUrl(null)).contains("is required");
  }
}
