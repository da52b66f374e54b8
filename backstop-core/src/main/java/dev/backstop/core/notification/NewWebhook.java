package dev.backstop.core.notification;

/**
 * A webhook just created, with its secret: the only time the secret leaves Backstop. It prints as
 * {@code <redacted>}.
 */
public record NewWebhook(Webhook webhook, String secret) {

  @Override
  public String toString() {
    return "NewWebhook[webhook=" + webhook + ", secret=<redacted>]";
  }
}
