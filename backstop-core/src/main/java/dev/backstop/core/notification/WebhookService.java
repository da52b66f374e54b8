package dev.backstop.core.notification;

import dev.backstop.core.organization.Organization;
import dev.backstop.core.organization.Organizations;
import dev.backstop.core.organization.Permission;
import dev.backstop.core.usecase.Actor;
import dev.backstop.core.usecase.FieldError;
import dev.backstop.core.usecase.Result;
import dev.backstop.core.usecase.Validation;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The use cases of an organization's webhooks. Reading needs {@link Permission#WEBHOOKS_READ},
 * changing {@link Permission#WEBHOOKS_WRITE}; an organization's client reaches its own
 * organization only (another one is not found, as if it did not exist), the operator every one.
 * Checks run in this order: permission (forbidden), what the request is about (not found), input
 * (invalid, every error at once), clashes (conflict).
 */
public final class WebhookService {

  /** How many deliveries a listing shows. */
  public static final int DELIVERIES_SHOWN = 100;

  /** The longest URL accepted. */
  static final int MAX_URL_LENGTH = 2000;

  /** The longest threshold of backup.overdue: a year. */
  static final int MAX_HOURS = 24 * 366;

  /** A webhook as the caller gives it, unchecked. */
  public record Input(String url, List<String> events, Integer noCompletedBackupHours) {}

  private final Organizations organizations;
  private final Webhooks webhooks;
  private final Destinations destinations;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  public WebhookService(Organizations organizations, Webhooks webhooks, Destinations destinations, Clock clock) {
    this.organizations = organizations;
    this.webhooks = webhooks;
    this.destinations = destinations;
    this.clock = clock;
  }

  /**
   * Creates a webhook with a new secret, which is in this answer and never again (it is kept
   * encrypted, to sign). A URL is unique within an organization (a taken one is a conflict naming
   * {@code url}); it must be an absolute http(s) URL without credentials that the {@link
   * Destinations} allow.
   */
  /** How many webhooks one organization may have: each event is sent to each, so they are bounded. */
  public static final int MAX_PER_ORGANIZATION = 20;

  public Result<NewWebhook> create(Actor actor, UUID organizationId, Input input) {
    return organization(actor, organizationId, Permission.WEBHOOKS_WRITE)
        .then(
            organization -> {
              Validation v = new Validation();
              URI url = url(v, input.url());
              Set<EventType> events = events(v, input.events());
              Optional<Integer> hours = hours(v, events, input.noCompletedBackupHours());
              return v.orElse(
                  () -> {
                    if (webhooks.list(organization.id()).size() >= MAX_PER_ORGANIZATION) {
                      return new Result.Conflict<>(
                          "Organization " + organization.id() + " has " + MAX_PER_ORGANIZATION + " webhooks, the most one may have; delete one first.",
                          List.of());
                    }
                    Webhook webhook = new Webhook(UUID.randomUUID(), organization.id(), url, events, hours, clock.instant());
                    String secret = secret();
                    if (!webhooks.insert(webhook, secret)) {
                      return new Result.Conflict<>(
                          "Organization " + organization.id() + " has a webhook for this URL.",
                          List.of(new FieldError("url", "is the URL of another webhook of this organization")));
                    }
                    return Result.ok(new NewWebhook(webhook, secret));
                  });
            });
  }

  /** The organization's webhooks, oldest first, without their secrets. */
  public Result<List<Webhook>> list(Actor actor, UUID organizationId) {
    return organization(actor, organizationId, Permission.WEBHOOKS_READ).map(organization -> webhooks.list(organization.id()));
  }

  public Result<Webhook> get(Actor actor, UUID organizationId, UUID webhookId) {
    return organization(actor, organizationId, Permission.WEBHOOKS_READ).then(organization -> webhook(organization, webhookId));
  }

  /** Deletes a webhook and its deliveries: nothing more is sent to it, not even a retry. */
  public Result<Result.Done> delete(Actor actor, UUID organizationId, UUID webhookId) {
    return organization(actor, organizationId, Permission.WEBHOOKS_WRITE)
        .then(
            organization ->
                webhooks.delete(organization.id(), webhookId)
                    ? Result.ok(Result.Done.DONE)
                    : Result.notFound("No webhook " + webhookId + " in organization " + organization.id() + "."));
  }

  /** The webhook's latest deliveries ({@value #DELIVERIES_SHOWN}), newest first, each with its last attempt. */
  public Result<List<Delivery>> deliveries(Actor actor, UUID organizationId, UUID webhookId) {
    return organization(actor, organizationId, Permission.WEBHOOKS_READ)
        .then(organization -> webhook(organization, webhookId))
        .map(webhook -> webhooks.deliveries(webhook.id(), DELIVERIES_SHOWN));
  }

  private Result<Organization> organization(Actor actor, UUID organizationId, Permission permission) {
    Optional<Result<Organization>> refused = actor.lacking(permission);
    if (refused.isPresent()) {
      return refused.get();
    }
    return organizations
        .find(organizationId)
        .filter(organization -> actor.canSee(organization.id()))
        .<Result<Organization>>map(Result::ok)
        .orElseGet(() -> Result.notFound("No organization " + organizationId + "."));
  }

  private Result<Webhook> webhook(Organization organization, UUID webhookId) {
    return webhooks
        .find(organization.id(), webhookId)
        .<Result<Webhook>>map(Result::ok)
        .orElseGet(() -> Result.notFound("No webhook " + webhookId + " in organization " + organization.id() + "."));
  }

  private URI url(Validation v, String text) {
    if (!v.required("url", text)) {
      return null;
    }
    if (text.length() > MAX_URL_LENGTH) {
      v.add("url", "must be at most " + MAX_URL_LENGTH + " characters");
      return null;
    }
    URI url;
    try {
      url = new URI(text.strip());
    } catch (URISyntaxException e) {
      v.add("url", "must be an absolute http or https URL");
      return null;
    }
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (!url.isAbsolute() || !(scheme.equals("http") || scheme.equals("https")) || url.isOpaque()) {
      v.add("url", "must be an absolute http or https URL");
      return null;
    }
    if (url.getHost() == null || url.getHost().isBlank()) {
      v.add("url", "must name a host");
      return null;
    }
    if (url.getRawUserInfo() != null) {
      v.add("url", "must not hold credentials (user:password@): URLs are shown to every reader of the webhooks");
      return null;
    }
    if (url.getRawFragment() != null) {
      v.add("url", "must not have a fragment (#…)");
      return null;
    }
    Optional<String> refusal = destinations.refusal(url);
    if (refusal.isPresent()) {
      v.add("url", refusal.get());
      return null;
    }
    return url;
  }

  private static Set<EventType> events(Validation v, List<String> names) {
    Set<EventType> events = EnumSet.noneOf(EventType.class);
    if (names == null) {
      v.add("events", "is required");
      return events;
    }
    if (names.isEmpty()) {
      v.add("events", "must name at least one of " + EventType.NAMES);
      return events;
    }
    for (int i = 0; i < names.size(); i++) {
      Optional<EventType> type = Optional.ofNullable(names.get(i)).flatMap(EventType::fromWireName);
      type.ifPresent(events::add);
      if (type.isEmpty()) {
        v.add("events[" + i + "]", "must be one of " + EventType.NAMES);
      }
    }
    return events;
  }

  private static Optional<Integer> hours(Validation v, Set<EventType> events, Integer hours) {
    if (!events.contains(EventType.BACKUP_OVERDUE)) {
      if (hours != null) {
        v.add("noCompletedBackupHours", "is only for the event backup.overdue, which events does not name");
      }
      return Optional.empty();
    }
    if (hours == null) {
      v.add("noCompletedBackupHours", "is required with the event backup.overdue");
    } else if (hours < 1) {
      v.add("noCompletedBackupHours", "must be at least 1");
    } else if (hours > MAX_HOURS) {
      v.add("noCompletedBackupHours", "must be at most " + MAX_HOURS);
    }
    return Optional.ofNullable(hours);
  }

  private String secret() {
    byte[] value = new byte[32];
    random.nextBytes(value);
    return "whsec_" + Base64.getUrlEncoder().withoutPadding().encodeToString(value);
  }
}
