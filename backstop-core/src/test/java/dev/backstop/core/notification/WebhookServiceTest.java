package dev.backstop.core.notification;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstop.core.event.Event;
import dev.backstop.core.organization.ApiClient;
import dev.backstop.core.organization.Organization;
import dev.backstop.core.organization.Organizations;
import dev.backstop.core.organization.Permission;
import dev.backstop.core.organization.Plan;
import dev.backstop.core.testing.Actors;
import dev.backstop.core.testing.SettableClock;
import dev.backstop.core.usecase.Actor;
import dev.backstop.core.usecase.FieldError;
import dev.backstop.core.usecase.Result;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class WebhookServiceTest {

  private static final String RECEIVER = "https://hooks.example.com/backstop";

  private final SettableClock clock = new SettableClock(Instant.parse("2026-11-22T10:00:00Z"));
  private final InMemoryOrganizations organizations = new InMemoryOrganizations();
  private final InMemoryWebhooks store = new InMemoryWebhooks();
  private final List<URI> asked = new ArrayList<>();
  private final Destinations publicOnly =
      url -> {
        asked.add(url);
        return url.getHost().startsWith("10.") ? Optional.of("points to " + url.getHost() + ", a private address") : Optional.empty();
      };
  private final WebhookService service = new WebhookService(organizations, store, publicOnly, clock);

  private final UUID acme = organizations.add("acme");
  private final UUID other = organizations.add("other");
  private final Actor writer = Actors.member(acme, Permission.WEBHOOKS_READ, Permission.WEBHOOKS_WRITE);
  private final Actor reader = Actors.member(acme, Permission.WEBHOOKS_READ);

  @Test
  void shouldCreateAWebhookAndShowItsSecretOnlyThen() {
    // when
    Result<NewWebhook> created = service.create(writer, acme, new WebhookService.Input(RECEIVER, List.of("backup.failed", "restore.completed"), null));

    // then
    NewWebhook answer = ((Result.Ok<NewWebhook>) created).value();
    assertThat(answer.secret()).startsWith("whsec_").hasSizeGreaterThan(40);
    assertThat(answer.toString()).doesNotContain(answer.secret());
    Webhook webhook = answer.webhook();
    assertThat(webhook.organizationId()).isEqualTo(acme);
    assertThat(webhook.url()).isEqualTo(URI.create(RECEIVER));
    assertThat(webhook.orderedEvents()).containsExactly(EventType.BACKUP_FAILED, EventType.RESTORE_COMPLETED);
    assertThat(webhook.createdAt()).isEqualTo(clock.instant());
    assertThat(store.secrets).containsEntry(webhook.id(), answer.secret());
    // what reads it afterwards has no secret to show
    assertThat(service.list(reader, acme)).isEqualTo(Result.ok(List.of(webhook)));
    assertThat(service.get(reader, acme, webhook.id())).isEqualTo(Result.ok(webhook));
  }

  @Test
  void shouldBoundHowManyWebhooksAnOrganizationHas() {
    for (int i = 0; i < WebhookService.MAX_PER_ORGANIZATION; i++) {
      created(RECEIVER + "/" + i, "backup.failed");
    }

    Result<NewWebhook> oneMore = service.create(writer, acme, new WebhookService.Input(RECEIVER + "/more", List.of("backup.failed"), null));

    assertThat(oneMore).isInstanceOfSatisfying(Result.Conflict.class, conflict -> assertThat(conflict.detail()).contains("delete one first"));
    assertThat(store.list(acme)).hasSize(WebhookService.MAX_PER_ORGANIZATION);
    assertThat(service.create(Actors.member(other, Permission.WEBHOOKS_WRITE), other, new WebhookService.Input(RECEIVER + "/more", List.of("backup.failed"), null)))
        .as("another organization's are its own").isInstanceOf(Result.Ok.class);
  }

  @Test
  void shouldGiveEachWebhookAnotherSecret() {
    NewWebhook first = created(RECEIVER + "/1", "backup.failed");
    NewWebhook second = created(RECEIVER + "/2", "backup.failed");

    assertThat(first.secret()).isNotEqualTo(second.secret());
  }

  @Test
  void shouldNameEveryInvalidFieldAtOnceAndChangeNothing() {
    Result<NewWebhook> invalid =
        service.create(writer, acme, new WebhookService.Input("ftp://hooks.example.com/x", List.of("backup.failed", "backup.completed", "restore.failed", "x"), 5));

    assertThat(invalid)
        .isEqualTo(
            Result.invalid(
                List.of(
                    new FieldError("url", "must be an absolute http or https URL"),
                    new FieldError("events[1]", "must be one of " + EventType.NAMES),
                    new FieldError("events[3]", "must be one of " + EventType.NAMES),
                    new FieldError("noCompletedBackupHours", "is only for the event backup.overdue, which events does not name"))));
    assertThat(store.webhooks).isEmpty();
  }

  @Test
  void shouldRefuseUrlsThatAreNotAbsoluteHttpOrHoldCredentials() {
    assertThat(urlError(null)).isEqualTo("is required");
    assertThat(urlError("/relative/path")).isEqualTo("must be an absolute http or https URL");
    assertThat(urlError("mailto:ops@example.com")).isEqualTo("must be an absolute http or https URL");
    assertThat(urlError("http://exa mple.com/")).isEqualTo("must be an absolute http or https URL");
    assertThat(urlError("https://user:pw@hooks.example.com/")).startsWith("must not hold credentials");
    assertThat(urlError("https://hooks.example.com/#x")).startsWith("must not have a fragment");
    assertThat(urlError("https://" + "a".repeat(2000) + ".com/")).isEqualTo("must be at most 2000 characters");
    assertThat(asked).isEmpty();
  }

  @Test
  void shouldAskTheDestinationsWhetherTheUrlMayBeCalled() {
    assertThat(urlError("http://10.0.0.7/hook")).isEqualTo("points to 10.0.0.7, a private address");
    assertThat(asked).containsExactly(URI.create("http://10.0.0.7/hook"));
  }

  @Test
  void shouldRequireAThresholdOfAtLeastOneHourWithBackupOverdue() {
    assertThat(errors(new WebhookService.Input(RECEIVER, List.of("backup.overdue"), null)))
        .containsExactly(new FieldError("noCompletedBackupHours", "is required with the event backup.overdue"));
    assertThat(errors(new WebhookService.Input(RECEIVER, List.of("backup.overdue"), 0)))
        .containsExactly(new FieldError("noCompletedBackupHours", "must be at least 1"));
    assertThat(errors(new WebhookService.Input(RECEIVER, List.of(), null)))
        .containsExactly(new FieldError("events", "must name at least one of " + EventType.NAMES));

    Result<NewWebhook> created = service.create(writer, acme, new WebhookService.Input(RECEIVER, List.of("backup.overdue"), 24));
    assertThat(((Result.Ok<NewWebhook>) created).value().webhook().noCompletedBackupHours()).contains(24);
  }

  @Test
  void shouldAnswerATakenUrlWithAConflictNamingIt() {
    created(RECEIVER, "backup.failed");

    Result<NewWebhook> again = service.create(writer, acme, new WebhookService.Input(RECEIVER, List.of("restore.failed"), null));

    assertThat(again).isInstanceOf(Result.Conflict.class);
    assertThat(((Result.Conflict<NewWebhook>) again).errors()).extracting(FieldError::field).containsExactly("url");
    assertThat(store.webhooks).hasSize(1);
  }

  @Test
  void shouldCheckPermissionThenOrganizationThenInputThenClashes() {
    created(RECEIVER, "backup.failed");
    WebhookService.Input bad = new WebhookService.Input("nope", List.of("x"), null);
    WebhookService.Input taken = new WebhookService.Input(RECEIVER, List.of("backup.failed"), null);

    // a reader may not create, whatever else is wrong
    assertThat(service.create(reader, UUID.randomUUID(), bad)).isInstanceOf(Result.Forbidden.class);
    // another organization's, or none, is not found before the input is looked at
    assertThat(service.create(writer, other, bad)).isInstanceOf(Result.NotFound.class);
    assertThat(service.create(Actors.operator(), UUID.randomUUID(), bad)).isInstanceOf(Result.NotFound.class);
    // bad input before a clash
    assertThat(service.create(writer, acme, new WebhookService.Input(RECEIVER, List.of("x"), null))).isInstanceOf(Result.Invalid.class);
    assertThat(service.create(writer, acme, taken)).isInstanceOf(Result.Conflict.class);
  }

  @Test
  void shouldHideOtherOrganizationsWebhooksAsIfTheyDidNotExist() {
    Webhook theirs = service.create(Actors.operator(), other, new WebhookService.Input(RECEIVER, List.of("backup.failed"), null)) instanceof Result.Ok<NewWebhook> ok
        ? ok.value().webhook()
        : null;

    assertThat(service.list(writer, other)).isInstanceOf(Result.NotFound.class);
    assertThat(service.get(writer, other, theirs.id())).isInstanceOf(Result.NotFound.class);
    assertThat(service.get(writer, acme, theirs.id())).isInstanceOf(Result.NotFound.class);
    assertThat(service.delete(writer, acme, theirs.id())).isInstanceOf(Result.NotFound.class);
    assertThat(service.deliveries(writer, other, theirs.id())).isInstanceOf(Result.NotFound.class);
    assertThat(store.webhooks).containsKey(theirs.id());
    // the operator sees every organization's
    assertThat(service.list(Actors.operator(), other)).isEqualTo(Result.ok(List.of(theirs)));
  }

  @Test
  void shouldLetOnlyWritersDelete() {
    Webhook webhook = created(RECEIVER, "backup.failed").webhook();

    assertThat(service.delete(reader, acme, webhook.id())).isInstanceOf(Result.Forbidden.class);
    assertThat(service.delete(writer, acme, webhook.id())).isEqualTo(Result.ok(Result.Done.DONE));
    assertThat(service.delete(writer, acme, webhook.id())).isInstanceOf(Result.NotFound.class);
    assertThat(service.list(reader, acme)).isEqualTo(Result.ok(List.of()));
  }

  @Test
  void shouldNeedReadPermissionToSeeWebhooksAndDeliveries() {
    Webhook webhook = created(RECEIVER, "backup.failed").webhook();
    Actor neither = Actors.member(acme, Permission.BACKUPS_READ);

    assertThat(service.list(neither, acme)).isInstanceOf(Result.Forbidden.class);
    assertThat(service.get(neither, acme, webhook.id())).isInstanceOf(Result.Forbidden.class);
    assertThat(service.deliveries(neither, acme, webhook.id())).isInstanceOf(Result.Forbidden.class);
    assertThat(service.deliveries(reader, acme, webhook.id())).isEqualTo(Result.ok(List.of()));
  }

  @Test
  void shouldTellAWebhookOnlyTheEventsItSubscribedToAndOnlyItsOwnThreshold() {
    Webhook failures = created(RECEIVER + "/f", "backup.failed").webhook();
    Webhook overdue = service.create(writer, acme, new WebhookService.Input(RECEIVER + "/o", List.of("backup.overdue"), 24)) instanceof Result.Ok<NewWebhook> ok
        ? ok.value().webhook()
        : null;
    Event dayOverdue = new Event.NoRecentBackup(clock.instant(), "c1", Optional.empty(), 24);
    Event twoDaysOverdue = new Event.NoRecentBackup(clock.instant(), "c1", Optional.empty(), 48);
    Event skipped = new Event.ScheduledRunSkipped(clock.instant(), "c1", clock.instant(), "a backup ran");

    assertThat(failures.wants(dayOverdue)).isFalse();
    assertThat(failures.wants(skipped)).isFalse();
    assertThat(overdue.wants(dayOverdue)).isTrue();
    assertThat(overdue.wants(twoDaysOverdue)).isFalse();
  }

  private NewWebhook created(String url, String... events) {
    return ((Result.Ok<NewWebhook>) service.create(writer, acme, new WebhookService.Input(url, List.of(events), null))).value();
  }

  private List<FieldError> errors(WebhookService.Input input) {
    Result<NewWebhook> result = service.create(writer, acme, input);
    return result instanceof Result.Invalid<NewWebhook> invalid ? invalid.errors() : List.of();
  }

  private String urlError(String url) {
    return errors(new WebhookService.Input(url, List.of("backup.failed"), null)).stream()
        .filter(error -> error.field().equals("url"))
        .map(FieldError::message)
        .findFirst()
        .orElse("");
  }

  private static final class InMemoryOrganizations implements Organizations {
    final Map<UUID, Organization> organizations = new ConcurrentHashMap<>();

    UUID add(String name) {
      Organization organization = new Organization(UUID.randomUUID(), name, Plan.ENTERPRISE, Instant.parse("2026-01-01T00:00:00Z"));
      organizations.put(organization.id(), organization);
      return organization.id();
    }

    @Override
    public boolean insert(Organization organization) {
      return organizations.putIfAbsent(organization.id(), organization) == null;
    }

    @Override
    public Optional<Organization> find(UUID id) {
      return Optional.ofNullable(organizations.get(id));
    }

    @Override
    public List<Organization> list() {
      return organizations.values().stream().sorted(Comparator.comparing(Organization::name)).toList();
    }

    @Override
    public void insertClient(ApiClient client, String secretHash, Instant createdAt) {}

    @Override
    public boolean deleteClient(UUID organizationId, String clientId) {
      return false;
    }
  }

  private static final class InMemoryWebhooks implements Webhooks {
    final Map<UUID, Webhook> webhooks = new ConcurrentHashMap<>();
    final Map<UUID, String> secrets = new ConcurrentHashMap<>();

    @Override
    public synchronized boolean insert(Webhook webhook, String secret) {
      if (webhooks.values().stream().anyMatch(w -> w.organizationId().equals(webhook.organizationId()) && w.url().equals(webhook.url()))) {
        return false;
      }
      webhooks.put(webhook.id(), webhook);
      secrets.put(webhook.id(), secret);
      return true;
    }

    @Override
    public List<Webhook> list(UUID organizationId) {
      return webhooks.values().stream().filter(w -> w.organizationId().equals(organizationId)).sorted(Comparator.comparing(Webhook::createdAt)).toList();
    }

    @Override
    public Optional<Webhook> find(UUID organizationId, UUID webhookId) {
      return Optional.ofNullable(webhooks.get(webhookId)).filter(w -> w.organizationId().equals(organizationId));
    }

    @Override
    public boolean delete(UUID organizationId, UUID webhookId) {
      return find(organizationId, webhookId).map(w -> webhooks.remove(w.id()) != null).orElse(false);
    }

    @Override
    public List<Delivery> deliveries(UUID webhookId, int limit) {
      return List.of();
    }
  }
}
