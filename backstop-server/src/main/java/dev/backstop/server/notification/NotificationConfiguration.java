package dev.backstop.server.notification;

import dev.backstop.core.notification.Destinations;
import dev.backstop.core.notification.WebhookService;
import dev.backstop.server.persistence.JdbcOrganizations;
import dev.backstop.server.security.NetworkGuard;
import java.time.Clock;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the webhook use cases, the guard on their URLs and the sender. */
@Configuration(proxyBeanMethods = false)
public class NotificationConfiguration {

  /** Public addresses, and what {@code backstop.notifications.allowed-networks} lists; at creation and before every attempt. */
  @Bean
  NetworkGuard webhookNetworkGuard(NotificationSettings settings) {
    return NetworkGuard.publicAnd(NotificationSettings.ALLOWED_NETWORKS, settings.allowedNetworks(), NetworkGuard.Resolver.SYSTEM);
  }

  @Bean
  WebhookService webhookService(JdbcOrganizations organizations, JdbcWebhooks webhooks, @Qualifier("webhookNetworkGuard") NetworkGuard guard, Clock clock) {
    Destinations destinations = guard::refusal;
    return new WebhookService(organizations, webhooks, destinations, clock);
  }

  @Bean
  WebhookSender webhookSender(@Qualifier("webhookNetworkGuard") NetworkGuard guard, NotificationSettings settings, Clock clock) {
    return new WebhookSender(guard, settings.connectTimeout(), settings.readTimeout(), clock);
  }
}
