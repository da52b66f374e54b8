/**
 * Notifications by webhook: an organization registers URLs ({@link
 * dev.backstop.core.notification.Webhook}) for the events it wants to hear of ({@link
 * dev.backstop.core.notification.EventType}), and each such event becomes one {@link
 * dev.backstop.core.notification.Delivery} per webhook, sent and retried by the edge.
 *
 * <ul>
 *   <li>{@link dev.backstop.core.notification.WebhookService}: the use cases (create, list, show,
 *       delete, list deliveries), checked in the usual order: permission, visibility, input, clash.
 *   <li>{@link dev.backstop.core.notification.Delivery}: a delivery's lifecycle; {@link
 *       dev.backstop.core.notification.Delivery#after} is the only transition, driven by an {@link
 *       dev.backstop.core.notification.Attempt} and the {@link
 *       dev.backstop.core.notification.RetrySchedule}.
 *   <li>{@link dev.backstop.core.notification.WebhookSignature}: how a body is signed (HMAC-SHA256
 *       over {@code <t>.<body>}), and how a receiver verifies it.
 *   <li>{@link dev.backstop.core.notification.OverdueBackups}: the periodic decision that a cluster
 *       had no completed backup for longer than a webhook's threshold, told as {@link
 *       dev.backstop.core.event.Event.NoRecentBackup}.
 * </ul>
 *
 * Ports: {@link dev.backstop.core.notification.Webhooks} (storage), {@link
 * dev.backstop.core.notification.Destinations} (which URLs may be called: the SSRF guard), {@link
 * dev.backstop.core.notification.OverdueBackups.Watches}.
 */
package dev.backstop.core.notification;
