package dev.backstop.server.security;

import dev.backstop.server.persistence.JdbcOrganizations;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * The operator's first credential, from {@code BACKSTOP_ADMIN_CLIENT_ID} and {@code
 * BACKSTOP_ADMIN_CLIENT_SECRET}: stored (hashed) at every start, so changing the secret in the
 * environment and restarting rotates it; changing the id retires the operator client of the old
 * id (its tokens stop working). The secret itself is never logged.
 */
@Component
public class OperatorCredential {

  private static final Logger LOG = LoggerFactory.getLogger(OperatorCredential.class);

  public OperatorCredential(
      JdbcOrganizations organizations,
      PasswordEncoder encoder,
      Clock clock,
      @Value("${backstop.admin.client-id:}") String clientId,
      @Value("${backstop.admin.client-secret:}") String clientSecret) {
    if (clientId.isBlank() || clientSecret.isBlank()) {
      LOG.warn("No operator credential: set BACKSTOP_ADMIN_CLIENT_ID and BACKSTOP_ADMIN_CLIENT_SECRET to administer Backstop");
      return;
    }
    if (clientSecret.length() < 12) {
      throw new IllegalStateException("BACKSTOP_ADMIN_CLIENT_SECRET must have at least 12 characters");
    }
    organizations.upsertOperatorClient(clientId, encoder.encode(clientSecret), clock.instant());
    LOG.info("Operator credential {} is set (secret <redacted>)", clientId);
    // Changing the id replaces the operator: the one before it must not stay able to act.
    List<String> retired = organizations.retireOperatorClientsOtherThan(clientId);
    if (!retired.isEmpty()) {
      LOG.warn("Operator client(s) {} retired: BACKSTOP_ADMIN_CLIENT_ID is now {}", retired, clientId);
    }
  }
}
