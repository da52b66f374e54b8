package dev.backstop.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstop.core.organization.Permission;
import dev.backstop.core.testing.Actors;
import dev.backstop.core.testing.InMemoryClusters;
import dev.backstop.core.usecase.FieldError;
import dev.backstop.core.usecase.Result;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class PolicyServiceTest {

  private final InMemoryClusters clusters = new InMemoryClusters();
  private final PolicyService service = new PolicyService(clusters, clusters);
  private final UUID organization = UUID.randomUUID();

  @Test
  void shouldShowTheDefaultsUntilTheClusterHasItsOwnPolicy() {
    clusters.add("c-1", organization);

    assertThat(service.get(Actors.operator(), "c-1")).isEqualTo(Result.ok(BackupPolicy.DEFAULTS));

    Result<BackupPolicy> set = service.set(Actors.operator(), "c-1", "PT0S", 5, 2);

    assertThat(set).isEqualTo(Result.ok(new BackupPolicy(Duration.ZERO, 5, 2)));
    assertThat(service.get(Actors.operator(), "c-1")).isEqualTo(set);
  }

  @Test
  void shouldNameEveryInvalidValueOnceAndChangeNothing() {
    clusters.add("c-1", organization);

    assertThat(service.set(Actors.operator(), "c-1", "5 hours", 0, null))
        .isEqualTo(
            Result.invalid(
                List.of(
                    new FieldError("manualRateLimit", "must be an ISO-8601 duration such as PT5H (PT0S: no limit)"),
                    new FieldError("manualRetention", "must be at least 1"),
                    new FieldError("scheduledRetention", "must be at least 1"))));
    assertThat(service.set(Actors.operator(), "c-1", null, 1, 1))
        .isEqualTo(Result.invalid(List.of(new FieldError("manualRateLimit", "is required, an ISO-8601 duration such as PT5H (PT0S: no limit)"))));
    assertThat(service.set(Actors.operator(), "c-1", "-PT1H", 1, 1))
        .isEqualTo(Result.invalid(List.of(new FieldError("manualRateLimit", "must not be negative"))));
    assertThat(service.get(Actors.operator(), "c-1")).isEqualTo(Result.ok(BackupPolicy.DEFAULTS));
  }

  @Test
  void shouldAnswerNotFoundForAClusterThatIsGoneOrGoesWhileSaving() {
    assertThat(service.get(Actors.operator(), "c-1")).isEqualTo(Result.notFound("No cluster c-1."));

    clusters.add("c-1", organization);
    PolicyService racing =
        new PolicyService(
            clusters,
            (clusterId, policy) -> {
              clusters.remove(clusterId); // deleted between the lookup and the save
              return clusters.save(clusterId, policy);
            });

    assertThat(racing.set(Actors.operator(), "c-1", "PT1H", 1, 1)).isEqualTo(Result.notFound("No cluster c-1."));
  }

  @Test
  void shouldKeepPoliciesToTheOperator() {
    clusters.add("c-1", organization);

    assertThat(service.get(Actors.member(organization, Permission.BACKUPS_WRITE), "c-1")).isInstanceOf(Result.Forbidden.class);
    assertThat(service.set(Actors.member(organization, Permission.BACKUPS_WRITE), "c-1", "PT0S", 1, 1)).isInstanceOf(Result.Forbidden.class);
    assertThat(service.get(Actors.operator(), "c-1")).isEqualTo(Result.ok(BackupPolicy.DEFAULTS));
  }
}
