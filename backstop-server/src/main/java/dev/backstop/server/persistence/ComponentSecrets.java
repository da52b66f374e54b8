package dev.backstop.server.persistence;

import dev.backstop.server.security.KeyEncryption;
import dev.backstop.server.security.SealingKey;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Seals the secrets Backstop presents to a cluster's components (the search engine's password or
 * API key) for the database, and opens them to call the component ({@link SealingKey}, under the
 * installation's {@code component_secret_key}); the cluster's id is the associated data, so a
 * sealed secret copied to another cluster's row does not open.
 */
@Component
public class ComponentSecrets {

  private final SealingKey key;

  /** The installation's key, created on the first start (idempotent and race-safe, as {@link Installation}). */
  @Autowired
  public ComponentSecrets(JdbcClient jdbc, Installation installation, KeyEncryption encryption) {
    // Installation is a parameter so that its row exists before this updates it.
    this.key = SealingKey.ofInstallation(jdbc, "component_secret_key", encryption);
  }

  ComponentSecrets(byte[] key) {
    this.key = new SealingKey(key);
  }

  public byte[] sealSearchSecret(String clusterId, String secret) {
    return key.seal(context(clusterId), secret);
  }

  /** @throws IllegalStateException when it does not open (another key, another cluster, altered); never with the secret */
  public String openSearchSecret(String clusterId, byte[] sealed) {
    return key.open(context(clusterId), sealed)
        .orElseThrow(() -> new IllegalStateException("the search engine credentials of cluster " + clusterId + " do not open with this installation's key"));
  }

  private static String context(String clusterId) {
    return "cluster/" + clusterId + "/search";
  }

  @Override
  public String toString() {
    return "ComponentSecrets[key=<redacted>]";
  }
}
