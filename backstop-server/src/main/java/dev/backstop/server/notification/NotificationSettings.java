package dev.backstop.server.notification;

import dev.backstop.core.notification.RetrySchedule;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Webhook notifications ({@code backstop.notifications.*}).
 *
 * @param allowedNetworks where webhook URLs may point besides public addresses: CIDR blocks,
 *     addresses, host names, {@code *.domain}s (see {@link dev.backstop.server.security.NetworkGuard});
 *     empty (the default): public addresses only
 * @param connectTimeout how long connecting to a receiver may take
 * @param readTimeout how long a receiver may take to answer, once connected
 * @param firstRetry the wait after a delivery's first failed attempt …
 * @param retryFactor … each next wait this many times longer …
 * @param maxRetry … up to this
 * @param attempts attempts in all before a delivery is FAILED
 * @param overdueCheckInterval how often one instance checks for clusters without a recent
 *     completed backup ({@code backup.overdue})
 */
@ConfigurationProperties("backstop.notifications")
public record NotificationSettings(
    @DefaultValue List<String> allowedNetworks,
    @DefaultValue("PT5S") Duration connectTimeout,
    @DefaultValue("PT10S") Duration readTimeout,
    @DefaultValue("PT10S") Duration firstRetry,
    @DefaultValue("3") int retryFactor,
    @DefaultValue("PT1H") Duration maxRetry,
    @DefaultValue("10") int attempts,
    @DefaultValue("PT5M") Duration overdueCheckInterval) {

  /** The setting that lists the allowed networks, as refusals name it. */
  public static final String ALLOWED_NETWORKS = "backstop.notifications.allowed-networks";

  public NotificationSettings {
    allowedNetworks = allowedNetworks == null ? List.of() : List.copyOf(allowedNetworks);
    retrySchedule(firstRetry, retryFactor, maxRetry, attempts); // refuses a schedule that cannot work, at start
  }

  public RetrySchedule retrySchedule() {
    return retrySchedule(firstRetry, retryFactor, maxRetry, attempts);
  }

  private static RetrySchedule retrySchedule(Duration firstRetry, int retryFactor, Duration maxRetry, int attempts) {
    return new RetrySchedule(firstRetry, retryFactor, maxRetry, attempts);
  }
}
