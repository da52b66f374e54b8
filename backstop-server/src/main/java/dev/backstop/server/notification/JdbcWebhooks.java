package dev.backstop.server.notification;

import dev.backstop.core.notification.Delivery;
import dev.backstop.core.notification.EventType;
import dev.backstop.core.notification.OverdueBackups;
import dev.backstop.core.notification.Webhook;
import dev.backstop.core.notification.Webhooks;
import java.net.URI;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Webhooks and their deliveries in PostgreSQL. Secrets are stored sealed ({@link WebhookSecrets})
 * and read only by {@link #due}, for signing.
 */
@Repository
public class JdbcWebhooks implements Webhooks {

  /** A delivery to attempt, with what sending it needs. */
  public record Due(Delivery delivery, URI url, byte[] sealedSecret, String payload) {
    @Override
    public String toString() {
      return "Due[delivery=" + delivery + ", url=<redacted>, sealedSecret=<redacted>]";
    }
  }

  private static final String WEBHOOK_COLUMNS = "w.id, w.organization_id, w.url, w.events, w.no_completed_backup_hours, w.created_at";
  private static final String DELIVERY_COLUMNS =
      "d.id, d.webhook_id, d.event_id, d.event_type, d.created_at, d.state, d.attempts, d.last_attempt_at, d.last_status, d.last_error,"
          + " d.next_attempt_at, d.delivered_at";

  private final JdbcClient jdbc;
  private final WebhookSecrets secrets;

  public JdbcWebhooks(JdbcClient jdbc, WebhookSecrets secrets) {
    this.jdbc = jdbc;
    this.secrets = secrets;
  }

  @Override
  public boolean insert(Webhook webhook, String secret) {
    return jdbc.sql(
                "insert into webhooks (id, organization_id, url, events, no_completed_backup_hours, secret_sealed, created_at)"
                    + " values (:id, :org, :url, :events, :hours, :secret, :createdAt) on conflict (organization_id, url) do nothing")
            .param("id", webhook.id())
            .param("org", webhook.organizationId())
            .param("url", webhook.url().toString())
            .param("events", webhook.orderedEvents().stream().map(EventType::wireName).toArray(String[]::new))
            .param("hours", webhook.noCompletedBackupHours().orElse(null))
            .param("secret", secrets.seal(webhook.id(), secret))
            .param("createdAt", Timestamp.from(webhook.createdAt()))
            .update()
        == 1;
  }

  @Override
  public List<Webhook> list(UUID organizationId) {
    return jdbc.sql("select " + WEBHOOK_COLUMNS + " from webhooks w where w.organization_id = :org order by w.created_at, w.id")
        .param("org", organizationId)
        .query(JdbcWebhooks::webhook)
        .list();
  }

  @Override
  public Optional<Webhook> find(UUID organizationId, UUID webhookId) {
    return jdbc.sql("select " + WEBHOOK_COLUMNS + " from webhooks w where w.organization_id = :org and w.id = :id")
        .param("org", organizationId)
        .param("id", webhookId)
        .query(JdbcWebhooks::webhook)
        .optional();
  }

  @Override
  public boolean delete(UUID organizationId, UUID webhookId) {
    return jdbc.sql("delete from webhooks where organization_id = :org and id = :id").param("org", organizationId).param("id", webhookId).update() == 1;
  }

  @Override
  public List<Delivery> deliveries(UUID webhookId, int limit) {
    return jdbc.sql("select " + DELIVERY_COLUMNS + " from webhook_deliveries d where d.webhook_id = :id order by d.created_at desc, d.id limit :limit")
        .param("id", webhookId)
        .param("limit", limit)
        .query(JdbcWebhooks::delivery)
        .list();
  }

  /** The organization's webhooks that subscribe to a type of event. */
  public List<Webhook> subscribedTo(UUID organizationId, EventType type) {
    return jdbc.sql("select " + WEBHOOK_COLUMNS + " from webhooks w where w.organization_id = :org and :type = any (w.events) order by w.created_at, w.id")
        .param("org", organizationId)
        .param("type", type.wireName())
        .query(JdbcWebhooks::webhook)
        .list();
  }

  /**
   * Inserts a new delivery of an event with its body, unless the webhook has one of that event
   * already (idempotent per event key).
   *
   * @return whether it was inserted
   */
  public boolean insertDelivery(Delivery delivery, String eventKey, String payload) {
    return jdbc.sql(
                "insert into webhook_deliveries (id, webhook_id, event_id, event_key, event_type, payload, state, attempts, next_attempt_at, created_at)"
                    + " values (:id, :webhook, :event, :key, :type, :payload, :state, :attempts, :next, :createdAt)"
                    + " on conflict (webhook_id, event_key) do nothing")
            .param("id", delivery.id())
            .param("webhook", delivery.webhookId())
            .param("event", delivery.eventId())
            .param("key", eventKey)
            .param("type", delivery.type().wireName())
            .param("payload", payload)
            .param("state", delivery.state().name())
            .param("attempts", delivery.attempts())
            .param("next", delivery.nextAttemptAt().map(Timestamp::from).orElse(null))
            .param("createdAt", Timestamp.from(delivery.createdAt()))
            .update()
        == 1;
  }

  /** A delivery with its webhook's URL, sealed secret and the body; empty when it or its webhook is gone. */
  public Optional<Due> due(UUID deliveryId) {
    return jdbc.sql(
            "select " + DELIVERY_COLUMNS + ", d.payload, w.url, w.secret_sealed from webhook_deliveries d join webhooks w on w.id = d.webhook_id"
                + " where d.id = :id")
        .param("id", deliveryId)
        .query((rs, row) -> new Due(delivery(rs, row), URI.create(rs.getString("url")), rs.getBytes("secret_sealed"), rs.getString("payload")))
        .optional();
  }

  /**
   * Records a delivery after an attempt, provided it is still PENDING with {@code attemptsBefore}
   * attempts: a run that was overtaken (taken over while it sent) records nothing.
   *
   * @return whether it was recorded
   */
  public boolean record(Delivery after, int attemptsBefore) {
    return jdbc.sql(
                "update webhook_deliveries set state = :state, attempts = :attempts, last_attempt_at = :lastAt, last_status = :status,"
                    + " last_error = :error, next_attempt_at = :next, delivered_at = :deliveredAt"
                    + " where id = :id and state = 'PENDING' and attempts = :before")
            .param("state", after.state().name())
            .param("attempts", after.attempts())
            .param("lastAt", after.lastAttemptAt().map(Timestamp::from).orElse(null))
            .param("status", after.lastStatus().orElse(null))
            .param("error", after.lastError().orElse(null))
            .param("next", after.nextAttemptAt().map(Timestamp::from).orElse(null))
            .param("deliveredAt", after.deliveredAt().map(Timestamp::from).orElse(null))
            .param("id", after.id())
            .param("before", attemptsBefore)
            .update()
        == 1;
  }

  /**
   * Every (cluster, threshold) a webhook subscribing to backup.overdue watches: each active cluster
   * of the webhook's organization, with its registration and its newest completed backup.
   */
  public List<OverdueBackups.Watch> overdueWatches() {
    return jdbc.sql(
            """
            select c.id, c.created_at, t.hours,
                   (select max(b.completed_at) from backups b where b.cluster_id = c.id and b.state = 'COMPLETED'
                      and b.verification_state is distinct from 'DAMAGED') as last_completed_at
              from (select distinct organization_id, no_completed_backup_hours as hours from webhooks
                     where :type = any (events) and no_completed_backup_hours is not null) t
              join clusters c on c.organization_id = t.organization_id and c.state = 'ACTIVE'
             order by c.id, t.hours
            """)
        .param("type", EventType.BACKUP_OVERDUE.wireName())
        .query(
            (rs, row) ->
                new OverdueBackups.Watch(
                    rs.getString("id"),
                    rs.getTimestamp("created_at").toInstant(),
                    Optional.ofNullable(rs.getTimestamp("last_completed_at")).map(Timestamp::toInstant),
                    rs.getInt("hours")))
        .list();
  }

  private static Webhook webhook(ResultSet rs, int row) throws SQLException {
    Set<EventType> events = EnumSet.noneOf(EventType.class);
    Array array = rs.getArray("events");
    for (Object name : (Object[]) array.getArray()) {
      EventType.fromWireName((String) name).ifPresent(events::add);
    }
    int hours = rs.getInt("no_completed_backup_hours");
    Optional<Integer> threshold = rs.wasNull() ? Optional.empty() : Optional.of(hours);
    return new Webhook(
        rs.getObject("id", UUID.class),
        rs.getObject("organization_id", UUID.class),
        URI.create(rs.getString("url")),
        events,
        threshold,
        rs.getTimestamp("created_at").toInstant());
  }

  private static Delivery delivery(ResultSet rs, int row) throws SQLException {
    int status = rs.getInt("last_status");
    Optional<Integer> lastStatus = rs.wasNull() ? Optional.empty() : Optional.of(status);
    return new Delivery(
        rs.getObject("id", UUID.class),
        rs.getObject("webhook_id", UUID.class),
        rs.getObject("event_id", UUID.class),
        EventType.fromWireName(rs.getString("event_type")).orElseThrow(),
        rs.getTimestamp("created_at").toInstant(),
        Delivery.State.valueOf(rs.getString("state")),
        rs.getInt("attempts"),
        instant(rs, "last_attempt_at"),
        lastStatus,
        Optional.ofNullable(rs.getString("last_error")),
        instant(rs, "next_attempt_at"),
        instant(rs, "delivered_at"));
  }

  private static Optional<Instant> instant(ResultSet rs, String column) throws SQLException {
    return Optional.ofNullable(rs.getTimestamp(column)).map(Timestamp::toInstant);
  }
}
