package dev.backstop.core.notification;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * How a delivery is signed, the way well-known senders do it: the header {@value #HEADER} is
 * {@code t=<unix seconds>,v1=<hex HMAC-SHA256>}, the HMAC keyed with the webhook's secret (its
 * UTF-8 bytes, the whole string) over {@code "<t>.<body>"} — the body exactly as sent. Binding the
 * time lets a receiver refuse replays of an old delivery ({@link #verify} with a tolerance); each
 * attempt is signed anew. Pure.
 */
public final class WebhookSignature {

  /** The header that carries the signature. */
  public static final String HEADER = "Backstop-Signature";

  private static final String ALGORITHM = "HmacSHA256";

  private WebhookSignature() {}

  /** The header's value for a body sent at {@code at}. */
  public static String header(String secret, Instant at, String body) {
    long t = at.getEpochSecond();
    return "t=" + t + ",v1=" + hmacHex(secret, t + "." + body);
  }

  /** Hex HMAC-SHA256 of the signed content ({@code "<t>.<body>"}) under the secret. */
  public static String hmacHex(String secret, String signedContent) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM));
      return HexFormat.of().formatHex(mac.doFinal(signedContent.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HMAC-SHA256 is not available", e); // every JDK has it
    }
  }

  /**
   * What a receiver does: whether the header signs this body under this secret, at a time no more
   * than {@code tolerance} away from {@code now}. Any {@code v1} may match (room for a second
   * secret during a rotation); compared in constant time.
   */
  public static boolean verify(String header, String secret, String body, Instant now, Duration tolerance) {
    if (header == null) {
      return false;
    }
    Long t = null;
    for (String part : header.split(",")) {
      if (part.startsWith("t=")) {
        try {
          t = Long.parseLong(part.substring(2).trim());
        } catch (NumberFormatException e) {
          return false;
        }
      }
    }
    if (t == null || Duration.between(Instant.ofEpochSecond(t), now).abs().compareTo(tolerance) > 0) {
      return false;
    }
    byte[] expected = hmacHex(secret, t + "." + body).getBytes(StandardCharsets.US_ASCII);
    boolean matches = false;
    for (String part : header.split(",")) {
      if (part.startsWith("v1=")) {
        matches |= MessageDigest.isEqual(expected, part.substring(3).trim().getBytes(StandardCharsets.US_ASCII));
      }
    }
    return matches;
  }
}
