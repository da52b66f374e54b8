package dev.backstop.server.notification;

import dev.backstop.server.persistence.Installation;
import dev.backstop.server.security.KeyEncryption;
import dev.backstop.server.security.SealingKey;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Seals webhook secrets for the database and opens them to sign a delivery ({@link SealingKey},
 * under the installation's {@code webhook_secret_key}), the webhook's id as associated data: a
 * sealed secret copied to another webhook's row does not open.
 */
@Component
public class WebhookSecrets {

  private final SealingKey key;

  /** The installation's key, created on the first start (idempotent and race-safe, as {@link Installation}). */
  @Autowired
  public WebhookSecrets(JdbcClient jdbc, Installation installation, KeyEncryption encryption) {
    // Installation is a parameter so that its row exists before this updates it.
    this.key = SealingKey.ofInstallation(jdbc, "webhook_secret_key", encryption);
  }

  WebhookSecrets(byte[] key) {
    this.key = new SealingKey(key);
  }

  public byte[] seal(UUID webhookId, String secret) {
    return key.seal(webhookId.toString(), secret);
  }

  /** @throws IllegalStateException when it does not open (another key, another webhook, altered) */
  public String open(UUID webhookId, byte[] sealed) {
    // never the secret in the message: only which webhook
    return key.open(webhookId.toString(), sealed)
        .orElseThrow(() -> new IllegalStateException("the secret of webhook " + webhookId + " does not open with this installation's key"));
  }

  @Override
  public String toString() {
    return "WebhookSecrets[key=<redacted>]";
  }
}
