package dev.backstop.server.security;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Seals secrets that Backstop must use again later (a webhook's signing secret, a search engine's
 * password) for the database, and opens them: AES-256-GCM with a random 96-bit nonce and a context
 * as associated data naming whose secret it is (a sealed secret copied to another row does not
 * open). Sealed form: version byte 1, nonce, ciphertext with its tag.
 *
 * <p>Each kind of secret has its own key, created with the installation and kept in its database
 * (a column of {@code installation}), shared by every instance, itself encrypted with the key
 * encryption key held outside the database ({@link KeyEncryption}): whoever has the database alone
 * opens no secret.
 */
public final class SealingKey {

  private static final byte VERSION = 1;
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;

  private final SecretKeySpec key;
  private final SecureRandom random = new SecureRandom();

  public SealingKey(byte[] key) {
    this.key = new SecretKeySpec(key.clone(), "AES");
  }

  /**
   * The installation's key in that column, created on the first start (idempotent and race-safe:
   * of two instances starting together, the first write wins and both read it). The {@code
   * installation} row must exist.
   */
  public static SealingKey ofInstallation(JdbcClient jdbc, String column, KeyEncryption encryption) {
    if (!column.matches("[a-z_]+")) {
      throw new IllegalArgumentException("not a column name: " + column);
    }
    byte[] fresh = new byte[32];
    new SecureRandom().nextBytes(fresh);
    jdbc.sql("update installation set " + column + " = :key where " + column + " is null").param("key", encryption.encrypt(fresh)).update();
    return new SealingKey(encryption.decrypt(jdbc.sql("select " + column + " from installation").query(byte[].class).single()));
  }

  public byte[] seal(String context, String secret) {
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    byte[] sealed = crypt(Cipher.ENCRYPT_MODE, context, nonce, secret.getBytes(StandardCharsets.UTF_8))
        .orElseThrow(() -> new IllegalStateException("cannot seal the secret of " + context));
    return ByteBuffer.allocate(1 + NONCE_BYTES + sealed.length).put(VERSION).put(nonce).put(sealed).array();
  }

  /** The secret, or empty when it does not open (another key, another context, altered, unknown form). */
  public Optional<String> open(String context, byte[] sealed) {
    if (sealed.length < 1 + NONCE_BYTES || sealed[0] != VERSION) {
      return Optional.empty();
    }
    byte[] nonce = Arrays.copyOfRange(sealed, 1, 1 + NONCE_BYTES);
    byte[] ciphertext = Arrays.copyOfRange(sealed, 1 + NONCE_BYTES, sealed.length);
    return crypt(Cipher.DECRYPT_MODE, context, nonce, ciphertext).map(plain -> new String(plain, StandardCharsets.UTF_8));
  }

  private Optional<byte[]> crypt(int mode, String context, byte[] nonce, byte[] input) {
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
      return Optional.of(cipher.doFinal(input));
    } catch (GeneralSecurityException e) {
      return Optional.empty();
    }
  }

  @Override
  public String toString() {
    return "SealingKey[key=<redacted>]";
  }
}
