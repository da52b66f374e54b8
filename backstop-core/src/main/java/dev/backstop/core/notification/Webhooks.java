package dev.backstop.core.notification;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Where webhooks and their deliveries are kept (Backstop's database). Safe for several Backstop
 * instances sharing it.
 */
public interface Webhooks {

  /**
   * Inserts a webhook with its secret (kept so that it can sign, never returned by this port).
   * Atomic and race-safe: of two inserts of one URL in one organization, however close, exactly one
   * succeeds.
   *
   * @return whether it was inserted ({@code false}: the organization has a webhook of this URL,
   *     nothing changed)
   */
  boolean insert(Webhook webhook, String secret);

  /** The organization's webhooks, oldest first. */
  List<Webhook> list(UUID organizationId);

  Optional<Webhook> find(UUID organizationId, UUID webhookId);

  /**
   * Deletes a webhook with its deliveries; a delivery under way is not sent again. Idempotent.
   *
   * @return whether the organization had it
   */
  boolean delete(UUID organizationId, UUID webhookId);

  /** The webhook's latest deliveries, newest first. */
  List<Delivery> deliveries(UUID webhookId, int limit);
}
