package dev.backstop.server.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.backstop.core.organization.Permission;
import dev.backstop.server.persistence.JdbcOrganizations.StoredClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;

/** Issues signed access tokens (JWT, HS256, the signing key's id in the header) for authenticated API clients. */
public final class TokenIssuer {

  static final String ISSUER = "backstop";

  /** An issued token and how long it lives. */
  public record IssuedToken(String accessToken, Duration lifetime) {}

  private final SigningKeys keys;
  private final Clock clock;
  private final Duration lifetime;

  public TokenIssuer(SigningKeys keys, Clock clock, Duration lifetime) {
    this.keys = keys;
    this.clock = clock;
    this.lifetime = lifetime;
  }

  public IssuedToken issue(StoredClient client, Optional<String> audience) {
    Instant now = clock.instant();
    JWTClaimsSet.Builder claims =
        new JWTClaimsSet.Builder()
            .issuer(ISSUER)
            .subject(client.clientId())
            .issueTime(Date.from(now))
            .notBeforeTime(Date.from(now))
            .expirationTime(Date.from(now.plus(lifetime)))
            .claim(Caller.PERMISSIONS_CLAIM, client.permissions().stream().map(Permission::scope).sorted().toList());
    client.organizationId().ifPresent(org -> claims.claim(Caller.ORGANIZATION_CLAIM, org.toString()));
    audience.filter(a -> !a.isBlank()).ifPresent(a -> claims.audience(List.of(a)));
    try {
      SigningKeys.SigningKey key = keys.current();
      SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(key.kid()).build(), claims.build());
      jwt.sign(new MACSigner(key.secret()));
      return new IssuedToken(jwt.serialize(), lifetime);
    } catch (JOSEException e) {
      throw new IllegalStateException("could not sign a token", e);
    }
  }
}
