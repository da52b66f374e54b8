package dev.backstop.server.security;

import dev.backstop.server.persistence.JdbcOrganizations;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /oauth/token}: the OAuth 2 client-credentials grant, form-encoded, as Camunda's
 * clients send it ({@code audience} and {@code scope} are accepted). Errors follow RFC 6749
 * ({@code {"error": "invalid_client"}}), not problem+json, because OAuth clients read those.
 * Repeated wrong secrets for one id are throttled per address and, more loosely, overall ({@link
 * TokenThrottle}); an unknown id takes as long to refuse as a wrong secret.
 */
@RestController
public class TokenController {

  private final JdbcOrganizations organizations;
  private final PasswordEncoder encoder;
  private final TokenIssuer issuer;
  private final TokenThrottle perAddress;
  private final TokenThrottle perClient;
  /** Compared with when the id is unknown, so that an unknown id costs as much time as a wrong secret. */
  private final String decoyHash;

  /**
   * @param perAddress wrong secrets for one id from one address: tight, so that guessing is slow
   * @param perClient wrong secrets for one id from anywhere: loose, so that guessing from many
   *     addresses is bounded while one guesser cannot lock the id's owner out
   */
  public TokenController(
      JdbcOrganizations organizations, PasswordEncoder encoder, TokenIssuer issuer,
      @Qualifier("tokenThrottlePerAddress") TokenThrottle perAddress, @Qualifier("tokenThrottlePerClient") TokenThrottle perClient) {
    this.organizations = organizations;
    this.encoder = encoder;
    this.issuer = issuer;
    this.perAddress = perAddress;
    this.perClient = perClient;
    this.decoyHash = encoder.encode(java.util.UUID.randomUUID().toString());
  }

  @PostMapping(path = "/oauth/token", produces = MediaType.APPLICATION_JSON_VALUE)
  public ResponseEntity<Map<String, Object>> token(@RequestParam MultiValueMap<String, String> form, HttpServletRequest request) {
    String grantType = form.getFirst("grant_type");
    if (grantType == null || grantType.isBlank()) {
      return error(HttpStatus.BAD_REQUEST, "invalid_request", "grant_type is required");
    }
    if (!"client_credentials".equals(grantType)) {
      return error(HttpStatus.BAD_REQUEST, "unsupported_grant_type", "only client_credentials is supported");
    }
    String clientId = form.getFirst("client_id");
    String secret = form.getFirst("client_secret");
    if (clientId == null || secret == null) {
      return error(HttpStatus.UNAUTHORIZED, "invalid_client", "client_id and client_secret are required");
    }
    String fromAddress = clientId + "@" + request.getRemoteAddr();
    Optional<java.time.Duration> wait = perAddress.reserve(fromAddress).or(() -> perClient.reserve(clientId));
    if (wait.isPresent()) {
      long seconds = Math.max(1, (wait.get().toMillis() + 999) / 1000);
      return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
          .cacheControl(CacheControl.noStore())
          .header("Retry-After", Long.toString(seconds))
          .body(Map.of("error", "slow_down", "error_description", "too many failed attempts for this client id; retry in " + seconds + " s"));
    }
    // The hash is checked whether the id exists or not: the time taken tells nothing about it.
    Optional<JdbcOrganizations.StoredClient> stored = organizations.findClient(clientId);
    boolean matches = encoder.matches(secret, stored.map(JdbcOrganizations.StoredClient::secretHash).orElse(decoyHash));
    Optional<JdbcOrganizations.StoredClient> client = stored.filter(found -> matches);
    if (client.isEmpty()) {
      return error(HttpStatus.UNAUTHORIZED, "invalid_client", "unknown client or wrong secret");
    }
    perAddress.succeeded(fromAddress);
    perClient.succeeded(clientId);
    TokenIssuer.IssuedToken token = issuer.issue(client.get(), Optional.ofNullable(form.getFirst("audience")));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("access_token", token.accessToken());
    body.put("token_type", "Bearer");
    body.put("expires_in", token.lifetime().toSeconds());
    return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(body);
  }

  private static ResponseEntity<Map<String, Object>> error(HttpStatus status, String error, String description) {
    return ResponseEntity.status(status).cacheControl(CacheControl.noStore()).body(Map.of("error", error, "error_description", description));
  }
}
