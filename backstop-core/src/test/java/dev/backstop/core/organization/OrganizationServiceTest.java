package dev.backstop.core.organization;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstop.core.testing.Actors;
import dev.backstop.core.testing.SettableClock;
import dev.backstop.core.usecase.FieldError;
import dev.backstop.core.usecase.Result;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class OrganizationServiceTest {

  private final InMemoryOrganizations store = new InMemoryOrganizations();
  private final SettableClock clock = new SettableClock(Instant.parse("2026-11-22T10:00:00Z"));
  private final OrganizationService service = new OrganizationService(store, secret -> "hash:" + secret, clock);

  @Test
  void shouldCreateAnOrganizationForTheOperator() {
    // when
    Result<Organization> created = service.create(Actors.operator(), "acme", "ENTERPRISE");

    // then
    Organization organization = ((Result.Ok<Organization>) created).value();
    assertThat(organization.name()).isEqualTo("acme");
    assertThat(organization.plan()).isEqualTo(Plan.ENTERPRISE);
    assertThat(organization.createdAt()).isEqualTo(clock.instant());
    assertThat(service.list(Actors.operator())).isEqualTo(Result.ok(List.of(organization)));
  }

  @Test
  void shouldNameEveryInvalidFieldAndChangeNothing() {
    Result<Organization> invalid = service.create(Actors.operator(), " ", "GOLD");

    assertThat(invalid)
        .isEqualTo(
            Result.invalid(
                List.of(
                    new FieldError("name", "is required"),
                    new FieldError("plan", "must be one of [FREE, STARTER, PROFESSIONAL, ENTERPRISE]"))));
    assertThat(store.list()).isEmpty();
  }

  @Test
  void shouldAnswerATakenNameWithAConflictNamingIt() {
    service.create(Actors.operator(), "acme", "FREE");

    Result<Organization> again = service.create(Actors.operator(), "acme", "ENTERPRISE");

    assertThat(again).isInstanceOf(Result.Conflict.class);
    assertThat(((Result.Conflict<Organization>) again).errors()).extracting(FieldError::field).containsExactly("name");
    assertThat(store.list()).hasSize(1);
  }

  @Test
  void shouldRefuseEverythingToAnyoneButTheOperator() {
    UUID organization = ((Result.Ok<Organization>) service.create(Actors.operator(), "acme", "FREE")).value().id();
    var member = Actors.member(organization, Permission.BACKUPS_READ, Permission.CLUSTERS_WRITE, Permission.BACKUPS_WRITE);

    assertThat(service.create(member, "other", "FREE")).isInstanceOf(Result.Forbidden.class);
    assertThat(service.list(member)).isInstanceOf(Result.Forbidden.class);
    assertThat(service.createClient(member, organization, "ci", List.of("backups:read"))).isInstanceOf(Result.Forbidden.class);
    assertThat(service.deleteClient(member, organization, "bks-x")).isInstanceOf(Result.Forbidden.class);
    assertThat(store.list()).hasSize(1);
    assertThat(store.clients).isEmpty();
  }

  @Test
  void shouldCreateAClientKeepingOnlyTheHashOfItsSecret() {
    UUID organization = ((Result.Ok<Organization>) service.create(Actors.operator(), "acme", "FREE")).value().id();

    Result<NewApiClient> created = service.createClient(Actors.operator(), organization, "ci", List.of("clusters:read", "backups:read"));

    NewApiClient client = ((Result.Ok<NewApiClient>) created).value();
    assertThat(client.client().clientId()).startsWith("bks-");
    assertThat(client.client().organizationId()).contains(organization);
    assertThat(client.client().orderedPermissions()).containsExactly(Permission.BACKUPS_READ, Permission.CLUSTERS_READ);
    assertThat(store.hashes.get(client.client().clientId())).isEqualTo("hash:" + client.secret());
    assertThat(client.toString()).doesNotContain(client.secret()).contains("<redacted>");
  }

  @Test
  void shouldRefuseTheOperatorsPermissionAndUnknownOnesForAClient() {
    UUID organization = ((Result.Ok<Organization>) service.create(Actors.operator(), "acme", "FREE")).value().id();

    Result<NewApiClient> invalid = service.createClient(Actors.operator(), organization, null, java.util.Arrays.asList("admin", "backups:read", null));

    assertThat(invalid).isInstanceOf(Result.Invalid.class);
    assertThat(((Result.Invalid<NewApiClient>) invalid).errors()).extracting(FieldError::field).containsExactly("name", "permissions[0]", "permissions[2]");
    assertThat(service.createClient(Actors.operator(), UUID.randomUUID(), "ci", List.of())).isInstanceOf(Result.NotFound.class);
    assertThat(store.clients).isEmpty();
  }

  @Test
  void shouldDeleteAClientOfItsOrganizationOnly() {
    UUID organization = ((Result.Ok<Organization>) service.create(Actors.operator(), "acme", "FREE")).value().id();
    String clientId = ((Result.Ok<NewApiClient>) service.createClient(Actors.operator(), organization, "ci", List.of())).value().client().clientId();

    assertThat(service.deleteClient(Actors.operator(), UUID.randomUUID(), clientId)).isInstanceOf(Result.NotFound.class);
    assertThat(service.deleteClient(Actors.operator(), organization, clientId)).isEqualTo(Result.ok(Result.Done.DONE));
    assertThat(service.deleteClient(Actors.operator(), organization, clientId)).isInstanceOf(Result.NotFound.class);
  }

  /** Organizations in memory; names unique as in the database. */
  private static final class InMemoryOrganizations implements Organizations {
    final Map<UUID, Organization> organizations = new ConcurrentHashMap<>();
    final Map<String, ApiClient> clients = new ConcurrentHashMap<>();
    final Map<String, String> hashes = new ConcurrentHashMap<>();

    @Override
    public synchronized boolean insert(Organization organization) {
      if (organizations.values().stream().anyMatch(o -> o.name().equals(organization.name()))) {
        return false;
      }
      organizations.put(organization.id(), organization);
      return true;
    }

    @Override
    public Optional<Organization> find(UUID id) {
      return Optional.ofNullable(organizations.get(id));
    }

    @Override
    public List<Organization> list() {
      List<Organization> all = new ArrayList<>(organizations.values());
      all.sort(Comparator.comparing(Organization::name));
      return all;
    }

    @Override
    public void insertClient(ApiClient client, String secretHash, Instant createdAt) {
      clients.put(client.clientId(), client);
      hashes.put(client.clientId(), secretHash);
    }

    @Override
    public boolean deleteClient(UUID organizationId, String clientId) {
      ApiClient client = clients.get(clientId);
      return client != null && client.organizationId().equals(Optional.of(organizationId)) && clients.remove(clientId) != null;
    }
  }
}
