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

  @Test
  void shouldRefuseCredentialsInAUrlWithoutRepeatingThem() {
    assertThat(RegistrationRules.baseUrl("https://backstop:hunter2-secret@search:9200"))
        .hasValueSatisfying(problem -> assertThat(problem).contains("auth").doesNotContain("hunter2-secret"));
  }

  @Test
  void shouldRefuseTextThatIsNotCertificatesOnly() {
    assertThat(RegistrationRules.caCertificates(null)).isPresent();
    assertThat(RegistrationRules.caCertificates("")).isPresent();
    assertThat(RegistrationRules.caCertificates("not pem")).contains("must be PEM text starting with -----BEGIN CERTIFICATE-----");
    assertThat(RegistrationRules.caCertificates("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"))
        .contains("is not valid PEM: its certificates cannot be read");
    assertThat(RegistrationRules.caCertificates("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"))
        .contains("must hold certificates only, never a private key");
    assertThat(RegistrationRules.caCertificates("-----BEGIN CERTIFICATE-----\n" + "A".repeat(CaCertificates.MAX_PEM_CHARACTERS))).isPresent();
  }

  @Test
  void shouldNeverPrintASearchEnginesSecret() {
    ComponentEndpoints.Search basic =
        new ComponentEndpoints.Search("https://search:9200", "backups", "zeebe-record", java.util.Optional.of(new SearchAuth.Basic("backstop", "hunter2-secret")),
            java.util.Optional.empty());
    ComponentEndpoints.Search apiKey = basic.withAuth(java.util.Optional.of(new SearchAuth.ApiKey("a2V5LXNlY3JldA==")));

    assertThat(basic.toString()).contains("backstop").doesNotContain("hunter2-secret").contains("<redacted>");
    assertThat(apiKey.toString()).doesNotContain("a2V5LXNlY3JldA==").contains("<redacted>");
    assertThat(new SearchAuth.Basic("backstop", "hunter2-secret").authorization()).isEqualTo("Basic YmFja3N0b3A6aHVudGVyMi1zZWNyZXQ=");
    assertThat(new SearchAuth.ApiKey("a2V5LXNlY3JldA==").authorization()).isEqualTo("ApiKey a2V5LXNlY3JldA==");
  }
}
