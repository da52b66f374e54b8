package dev.backstop.server.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts the token signing keys before they go into the database (AES-256-GCM), with a key kept
 * outside it: {@code BACKSTOP_SECURITY_KEY_ENCRYPTION_KEY} (Base64 of 32 bytes; the same on every
 * instance sharing a database), else a file created on first start, readable by its owner only
 * ({@code <data dir>/keys/signing-key-encryption.key}). Whoever reads the database alone cannot
 * mint tokens.
 */
public final class KeyEncryption {

  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;

  private final SecretKey key;
  private final String source;
  private final SecureRandom random = new SecureRandom();

  private KeyEncryption(byte[] key, String source) {
    if (key.length != 32) {
      throw new IllegalStateException("The key encryption key (" + source + ") must be 32 bytes, Base64-encoded; it has " + key.length);
    }
    this.key = new SecretKeySpec(key, "AES");
    this.source = source;
  }

  /** From the configured value, else from the file, which is created when absent. */
  public static KeyEncryption of(Optional<String> configured, Path file) {
    if (configured.isPresent() && !configured.get().isBlank()) {
      return new KeyEncryption(decode(configured.get().trim(), "BACKSTOP_SECURITY_KEY_ENCRYPTION_KEY"), "BACKSTOP_SECURITY_KEY_ENCRYPTION_KEY");
    }
    try {
      String key = OwnerOnlyFiles.readOrCreate(file, () -> Base64.getEncoder().encodeToString(random(32)));
      return new KeyEncryption(decode(key, file.toString()), file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read or create the key encryption key " + file, e);
    }
  }

  /** Where the key came from (a setting's name or a file), for messages; never the key. */
  public String source() {
    return source;
  }

  public byte[] encrypt(byte[] plain) {
    try {
      byte[] nonce = new byte[NONCE_BYTES];
      random.nextBytes(nonce);
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      byte[] sealed = cipher.doFinal(plain);
      return ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot encrypt a signing key", e);
    }
  }

  /** @throws IllegalStateException when the data was not encrypted with this key */
  public byte[] decrypt(byte[] encrypted) {
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, encrypted, 0, NONCE_BYTES));
      return cipher.doFinal(encrypted, NONCE_BYTES, encrypted.length - NONCE_BYTES);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(
          "The token signing keys in the database were encrypted with another key than " + source
              + ": give every instance sharing the database the same BACKSTOP_SECURITY_KEY_ENCRYPTION_KEY", e);
    }
  }

  private static byte[] random(int bytes) {
    byte[] value = new byte[bytes];
    new SecureRandom().nextBytes(value);
    return value;
  }

  private static byte[] decode(String base64, String source) {
    try {
      return Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("The key encryption key (" + source + ") is not Base64", e);
    }
  }
}
