package dev.backstop.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A fresh OpenSearch pointed at a region restores what the test bed's OpenSearch snapshotted
 * there, seeing the snapshots only through a read-only repository: the ground a restore into a
 * new search cluster (and, once Backstop replicates, from the secondary region) stands on.
 */
@ExtendWith(TestbedExtension.class)
class FreshSearchTest {

  private static final int DOCUMENTS = 7;

  private final Http http = new Http();

  @Test
  void shouldRestoreASnapshotOfTheRegionIntoAFreshOpenSearchThroughAReadOnlyRepository(Testbed testbed) {
    // given: an index with 7 documents on the test bed, snapshotted into its repository
    String suffix = String.valueOf(System.currentTimeMillis());
    String index = "backstop-probe-" + suffix;
    String snapshot = "backstop-probe-snapshot-" + suffix;
    for (int i = 0; i < DOCUMENTS; i++) {
      http.putJson(testbed.searchUrl() + "/" + index + "/_doc/" + i, Map.of("n", i)).successJson();
    }
    http.postJson(testbed.searchUrl() + "/" + index + "/_refresh", "").successJson();
    JsonNode taken =
        http.putJson(
                testbed.searchUrl() + "/_snapshot/" + Testbed.SEARCH_REPOSITORY + "/" + snapshot + "?wait_for_completion=true",
                Map.of("indices", index, "include_global_state", false))
            .successJson();
    assertThat(taken.path("snapshot").path("state").asText()).isEqualTo("SUCCESS");
    Path workDir = testbed.workDirectory().resolve("fresh-search-" + suffix);

    // when: a fresh OpenSearch on the primary region restores it
    FreshSearch started;
    try (FreshSearch fresh = testbed.startFreshSearch(testbed.primaryRegion(), workDir)) {
      started = fresh;
      assertThat(fresh.process().isRunning()).isTrue();
      assertThat(http.get(fresh.url() + "/" + index).status()).as("the fresh node lacks the index").isEqualTo(404);

      JsonNode repository = http.get(fresh.url() + "/_snapshot/" + fresh.repository()).successJson().path(fresh.repository());
      JsonNode listed = http.get(fresh.url() + "/_snapshot/" + fresh.repository() + "/_all").successJson();
      JsonNode restored =
          http.postJson(
                  fresh.url() + "/_snapshot/" + fresh.repository() + "/" + snapshot + "/_restore?wait_for_completion=true",
                  Map.of("indices", index, "include_global_state", false))
              .successJson();
      JsonNode count = http.get(fresh.url() + "/" + index + "/_count").successJson();
      Http.Response write =
          http.putJson(
              fresh.url() + "/_snapshot/" + fresh.repository() + "/must-not-be-written?wait_for_completion=true",
              Map.of("indices", index));

      // then: the repository is the region's bucket, read-only, and the snapshot restores whole
      assertThat(repository.path("type").asText()).isEqualTo("s3");
      assertThat(repository.path("settings").path("bucket").asText()).isEqualTo(testbed.primaryRegion().bucket());
      assertThat(repository.path("settings").path("base_path").asText()).isEqualTo(Testbed.SEARCH_BASE_PATH);
      assertThat(repository.path("settings").path("readonly").asText()).isEqualTo("true");
      assertThat(listed.path("snapshots").findValuesAsText("snapshot")).contains(snapshot);
      assertThat(texts(restored.path("snapshot").path("indices"))).containsExactly(index);
      assertThat(restored.path("snapshot").path("shards").path("failed").asInt()).isZero();
      assertThat(count.path("count").asLong()).isEqualTo(DOCUMENTS);
      assertThat(write.status()).as("a snapshot into the read-only repository: " + write.body()).isGreaterThanOrEqualTo(400);
    }
    // and closing the handle stops the node
    assertThat(started.process().isRunning()).isFalse();
  }

  private static List<String> texts(JsonNode array) {
    List<String> texts = new java.util.ArrayList<>();
    array.forEach(node -> texts.add(node.asText()));
    return texts;
  }
}
