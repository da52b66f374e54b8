package dev.backstop.core.cluster;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The CA certificates an operator gives for a component's TLS: PEM text with one or more
 * {@code -----BEGIN CERTIFICATE-----} blocks and nothing else (a private key pasted by mistake is
 * refused, never stored).
 */
public final class CaCertificates {

  /** Far above any CA bundle a cluster needs, far below what would burden the database. */
  public static final int MAX_PEM_CHARACTERS = 64 * 1024;

  private static final String BEGIN = "-----BEGIN CERTIFICATE-----";

  private CaCertificates() {}

  /**
   * @return the certificates, at least one
   * @throws IllegalArgumentException saying what is wrong (phrased to follow a field's name), never quoting the text
   */
  public static List<X509Certificate> parse(String pem) {
    if (pem == null || pem.isBlank()) {
      throw new IllegalArgumentException("must be PEM text with at least one CERTIFICATE block");
    }
    if (pem.length() > MAX_PEM_CHARACTERS) {
      throw new IllegalArgumentException("must be at most " + MAX_PEM_CHARACTERS + " characters");
    }
    if (pem.contains("PRIVATE KEY")) {
      throw new IllegalArgumentException("must hold certificates only, never a private key");
    }
    if (!pem.strip().startsWith(BEGIN)) {
      throw new IllegalArgumentException("must be PEM text starting with " + BEGIN);
    }
    Collection<? extends Certificate> read;
    try {
      read = CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    } catch (CertificateException | RuntimeException e) {
      throw new IllegalArgumentException("is not valid PEM: its certificates cannot be read");
    }
    // as many certificates as BEGIN lines: the factory stops quietly at a damaged block
    long blocks = pem.lines().filter(line -> line.strip().equals(BEGIN)).count();
    if (read.isEmpty() || read.size() != blocks) {
      throw new IllegalArgumentException("is not valid PEM: its certificates cannot be read");
    }
    List<X509Certificate> certificates = new ArrayList<>();
    for (Certificate certificate : read) {
      if (!(certificate instanceof X509Certificate x509)) {
        throw new IllegalArgumentException("must hold X.509 certificates");
      }
      certificates.add(x509);
    }
    return List.copyOf(certificates);
  }
}
