/**
 * Webhook notifications at the edge: {@link dev.backstop.server.notification.WebhookNotifier}
 * turns each recorded event into deliveries (in the recording transaction, no network), the
 * db-scheduler task of {@link dev.backstop.server.notification.WebhookDeliveries} sends them
 * ({@link dev.backstop.server.notification.WebhookSender}: signed, guarded against server-side
 * request forgery, retried with backoff), {@link dev.backstop.server.notification.OverdueBackupCheck}
 * tells clusters without a recent backup, and {@link dev.backstop.server.notification.JdbcWebhooks}
 * keeps webhooks and deliveries, secrets sealed by {@link dev.backstop.server.notification.WebhookSecrets}.
 */
package dev.backstop.server.notification;
