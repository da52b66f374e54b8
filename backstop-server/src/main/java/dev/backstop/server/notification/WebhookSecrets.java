package dev.backstop.server.notification;

import dev.backstop.server.persistence.Installation;
import dev.backstop.server.security.KeyEncryption;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.UUID;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Seals webhook secrets for the database and opens them to sign a delivery: AES-256-GCM with a
 * random 96-bit nonce, the webhook's id as associated data (a sealed secret copied to another
 * webhook's row does not open). Sealed form: version byte 1, nonce, ciphertext with its tag.
 *
 * <p>The key is created with the installation and kept in its database, shared by every instance,
 * itself encrypted with the key encryption key held outside the database ({@link KeyEncryption},
 * as the token signing keys are): whoever has the database alone opens no secret.
 */
@Component
public class WebhookSecrets {

  private static final byte VERSION = 1;
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;

  private final SecretKeySpec key;
  private final SecureRandom random = new SecureRandom();

  /** The installation's key, created on the first start (idempotent and race-safe, as {@link Installation}). */
  @Autowired
  public WebhookSecrets(JdbcClient jdbc, Installation installation, KeyEncryption encryption) {
    // Installation is a parameter so that its row exists before this updates it.
    byte[] fresh = new byte[32];
    new SecureRandom().nextBytes(fresh);
    jdbc.sql("update installation set webhook_secret_key = :key where webhook_secret_key is null").param("key", encryption.encrypt(fresh)).update();
    this.key = new SecretKeySpec(encryption.decrypt(jdbc.sql("select webhook_secret_key from installation").query(byte[].class).single()), "AES");
  }

  WebhookSecrets(byte[] key) {
    this.key = new SecretKeySpec(key.clone(), "AES");
  }

  public byte[] seal(UUID webhookId, String secret) {
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    byte[] sealed = crypt(Cipher.ENCRYPT_MODE, webhookId, nonce, secret.getBytes(StandardCharsets.UTF_8));
    return ByteBuffer.allocate(1 + NONCE_BYTES + sealed.length).put(VERSION).put(nonce).put(sealed).array();
  }

  /** @throws IllegalStateException when it does not open (another key, another webhook, altered) */
  public String open(UUID webhookId, byte[] sealed) {
    if (sealed.length < 1 + NONCE_BYTES || sealed[0] != VERSION) {
      throw new IllegalStateException("the secret of webhook " + webhookId + " is not sealed in a known form");
    }
    byte[] nonce = java.util.Arrays.copyOfRange(sealed, 1, 1 + NONCE_BYTES);
    byte[] ciphertext = java.util.Arrays.copyOfRange(sealed, 1 + NONCE_BYTES, sealed.length);
    return new String(crypt(Cipher.DECRYPT_MODE, webhookId, nonce, ciphertext), StandardCharsets.UTF_8);
  }

  private byte[] crypt(int mode, UUID webhookId, byte[] nonce, byte[] input) {
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(webhookId.toString().getBytes(StandardCharsets.US_ASCII));
      return cipher.doFinal(input);
    } catch (GeneralSecurityException e) {
      // never the secret in the message: only which webhook
      throw new IllegalStateException("the secret of webhook " + webhookId + " does not open with this installation's key");
    }
  }

  @Override
  public String toString() {
    return "WebhookSecrets[key=<redacted>]";
  }
}
