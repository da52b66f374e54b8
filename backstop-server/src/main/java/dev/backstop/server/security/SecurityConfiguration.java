package dev.backstop.server.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backstop.server.persistence.JdbcOrganizations;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.backstop.server.BackstopProperties;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.transaction.support.TransactionTemplate;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;

/**
 * Every endpoint needs a valid access token, except health, the token endpoint, the OpenAPI
 * document and the console's static files. {@code /actuator/prometheus} needs the operator's
 * ({@code admin}). A token stops working when its client is deleted.
 * Authentication and authorization failures are answered as problem+json too.
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {

  @Bean
  SecurityFilterChain api(HttpSecurity http, JwtDecoder decoder, ObjectMapper json) throws Exception {
    http.csrf(csrf -> csrf.disable())
        .httpBasic(basic -> basic.disable())
        .formLogin(form -> form.disable())
        .logout(logout -> logout.disable())
        .requestCache(cache -> cache.disable())
        .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .authorizeHttpRequests(
            requests ->
                requests
                    .requestMatchers("/actuator/health", "/actuator/health/**", "/oauth/token", "/v3/api-docs", "/v3/api-docs/**", "/", "/index.html", "/console/**", "/favicon.ico", "/error")
                    .permitAll()
                    .requestMatchers("/actuator/prometheus")
                    .access(SecurityConfiguration::operatorOnly)
                    .anyRequest()
                    .authenticated())
        .oauth2ResourceServer(
            oauth ->
                oauth
                    .jwt(jwt -> jwt.decoder(decoder))
                    .authenticationEntryPoint((request, response, e) -> problem(response, json, 401, "unauthenticated", "Unauthenticated", "A valid access token is required (Authorization: Bearer …)."))
                    .accessDeniedHandler((request, response, e) -> problem(response, json, 403, "forbidden", "Forbidden", "This API client may not do this.")))
        .exceptionHandling(
            handling ->
                handling
                    .authenticationEntryPoint((request, response, e) -> problem(response, json, 401, "unauthenticated", "Unauthenticated", "A valid access token is required (Authorization: Bearer …)."))
                    .accessDeniedHandler((request, response, e) -> problem(response, json, 403, "forbidden", "Forbidden", "This API client may not do this.")));
    return http.build();
  }

  /**
   * No observation of Spring Security's every filter, authentication and authorization: they were
   * about a seventh of the request threads' profile samples under bench/api-load.sh, and turning
   * them off saved 5 to 10% of a read request's CPU time there. Requests stay timed by endpoint
   * ({@code http_server_requests_seconds}).
   */
  @Bean
  SecurityObservationSettings securityObservationSettings() {
    return SecurityObservationSettings.noObservations();
  }

  @Bean
  KeyEncryption keyEncryption(
      BackstopProperties properties,
      @Value("${backstop.security.key-encryption-key:}") String configured,
      @Value("${spring.datasource.url:}") String externalDatabase) {
    if (configured.isBlank() && !externalDatabase.isBlank()) {
      // A key file per instance would not open the keys another instance wrote, and losing the data
      // directory would lose every key: with a database of its own, the operator keeps the key.
      throw new IllegalStateException(
          "With an external database (spring.datasource.url), set BACKSTOP_SECURITY_KEY_ENCRYPTION_KEY to the same 32 random bytes,"
              + " Base64-encoded, on every instance (e.g. the output of: openssl rand -base64 32), and keep it safe:"
              + " it encrypts the token signing keys and webhook secrets kept in the database");
    }
    return KeyEncryption.of(
        Optional.of(configured).filter(k -> !k.isBlank()),
        properties.dataDir().toAbsolutePath().normalize().resolve("keys").resolve("signing-key-encryption.key"));
  }

  @Bean
  SigningKeys signingKeys(
      JdbcClient jdbc, TransactionTemplate transactions, KeyEncryption encryption, Clock clock,
      @Value("${backstop.security.token-lifetime:PT1H}") Duration lifetime, @Value("${backstop.security.clock-skew:PT30S}") Duration skew) {
    return new SigningKeys(jdbc, transactions, encryption, clock, lifetime.plus(skew));
  }

  @Bean
  JwtDecoder jwtDecoder(SigningKeys keys, JdbcOrganizations organizations, Clock clock, @Value("${backstop.security.clock-skew:PT30S}") Duration skew) {
    // The token's kid picks the key; a token from before keys had ids is tried with each key.
    DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.HS256, keys.jwkSource()));
    processor.setJWTClaimsSetVerifier((claims, context) -> {}); // the validators below check the claims
    NimbusJwtDecoder decoder = new NimbusJwtDecoder(processor);
    JwtTimestampValidator notExpired = new JwtTimestampValidator(skew);
    notExpired.setClock(clock);
    OAuth2TokenValidator<Jwt> clientStillExists =
        jwt ->
            organizations.findClient(jwt.getSubject()).isPresent()
                ? OAuth2TokenValidatorResult.success()
                : OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token", "the API client no longer exists", null));
    decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(notExpired, new JwtIssuerValidator(TokenIssuer.ISSUER), clientStillExists));
    return decoder;
  }

  @Bean
  TokenIssuer tokenIssuer(SigningKeys keys, Clock clock, @Value("${backstop.security.token-lifetime:PT1H}") Duration lifetime) {
    return new TokenIssuer(keys, clock, lifetime);
  }

  @Bean
  TokenThrottle tokenThrottlePerAddress(
      Clock clock,
      @Value("${backstop.security.token-failures:5}") int failures,
      @Value("${backstop.security.token-failure-window:PT1M}") Duration window) {
    return new TokenThrottle(failures, window, clock);
  }

  @Bean
  TokenThrottle tokenThrottlePerClient(
      Clock clock,
      @Value("${backstop.security.token-failures-per-client:100}") int failures,
      @Value("${backstop.security.token-failure-window:PT1M}") Duration window) {
    return new TokenThrottle(failures, window, clock);
  }

  @Bean
  PasswordEncoder secretEncoder() {
    return new BCryptPasswordEncoder();
  }

  /** The metrics show every organization's clusters: the operator's (permission {@code admin}) only. */
  private static AuthorizationDecision operatorOnly(Supplier<Authentication> authentication, RequestAuthorizationContext request) {
    return new AuthorizationDecision(authentication.get() instanceof JwtAuthenticationToken token && Caller.of(token.getToken()).isOperator());
  }

  private static void problem(HttpServletResponse response, ObjectMapper json, int status, String slug, String title, String detail) throws IOException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", "urn:backstop:problem:" + slug);
    body.put("title", title);
    body.put("status", status);
    body.put("detail", detail);
    response.setStatus(status);
    response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
    if (status == 401) {
      response.setHeader("WWW-Authenticate", "Bearer");
    }
    json.writeValue(response.getOutputStream(), body);
  }
}
