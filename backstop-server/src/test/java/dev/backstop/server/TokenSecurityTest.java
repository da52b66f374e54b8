package dev.backstop.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.SignedJWT;
import dev.backstop.server.support.Api;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Tokens and secrets: tokens expire, die with their client, are signed by keys that rotate, are kept
 * encrypted and survive restarts; guessing secrets is throttled and an unknown id is not told apart
 * by time; a replaced operator id is retired.
 */
class TokenSecurityTest {

  static final String OPERATOR = "operator-one";
  static final String OPERATOR_SECRET = "operator-one-secret-123456";

  @TempDir Path dataDir;

  @Test
  void shouldRefuseATokenOnceItHasExpired() throws Exception {
    try (ConfigurableApplicationContext server = start(OPERATOR, "--backstop.security.token-lifetime=PT8S", "--backstop.security.clock-skew=PT0S")) {
      String token = token(url(server), OPERATOR, OPERATOR_SECRET);
      java.time.Instant expiry = SignedJWT.parse(token).getJWTClaimsSet().getExpirationTime().toInstant();
      Api operator = new Api(url(server), token);
      // given: valid while it lives (8 s leave a loaded machine room for this one call)
      assertThat(operator.get("/admin/organizations").status()).isEqualTo(200);
      assertThat(java.time.Instant.now()).as("the valid call was made before the expiry").isBefore(expiry);
      // when: its lifetime has passed
      Thread.sleep(Math.max(0, java.time.Duration.between(java.time.Instant.now(), expiry).toMillis()) + 1_100);
      // then: refused
      assertThat(operator.get("/admin/organizations").status()).isEqualTo(401);
    }
  }

  @Test
  void shouldRevokeTheTokensOfADeletedClientAtOnce() throws Exception {
    try (ConfigurableApplicationContext server = start(OPERATOR)) {
      Api operator = Api.as(url(server), OPERATOR, OPERATOR_SECRET);
      String organization = operator.postJson("/admin/organizations", Map.of("name", "tenant", "plan", "ENTERPRISE")).json().path("id").asText();
      JsonNode client = operator.postJson("/admin/organizations/" + organization + "/clients", Map.of("name", "c", "permissions", List.of("clusters:read"))).json();
      Api tenant = Api.as(url(server), client.path("clientId").asText(), client.path("clientSecret").asText());
      assertThat(tenant.get("/clusters").status()).isEqualTo(200);
      // when: the client is deleted
      assertThat(operator.delete("/admin/organizations/" + organization + "/clients/" + client.path("clientId").asText()).status()).isEqualTo(204);
      // then: its token stops working at once
      assertThat(tenant.get("/clusters").status()).isEqualTo(401);
    }
  }

  @Test
  void shouldKeepSigningKeysEncryptedRotateThemAndKeepTokensValidAcrossARestart() throws Exception {
    String before;
    String after;
    String firstKid;
    try (ConfigurableApplicationContext server = start(OPERATOR)) {
      before = token(url(server), OPERATOR, OPERATOR_SECRET);
      firstKid = SignedJWT.parse(before).getHeader().getKeyID();
      assertThat(firstKid).startsWith("k-");

      // then: no value in the database verifies a token: the key is kept encrypted, the old plain column empty
      JdbcClient jdbc = JdbcClient.create(server.getBean(DataSource.class));
      List<byte[]> stored = new ArrayList<>(jdbc.sql("select encrypted_key from signing_keys").query(byte[].class).list());
      assertThat(stored).hasSize(1);
      for (byte[] value : stored) {
        assertThat(verifies(before, value)).isFalse();
      }
      assertThat(jdbc.sql("select count(*) from installation where token_signing_key is not null").query(Long.class).single()).isZero();
      assertThat(Files.getPosixFilePermissions(dataDir.resolve("keys").resolve("signing-key-encryption.key")))
          .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));

      // when: the operator rotates the key
      Api operator = new Api(url(server), before);
      Api.Answer rotated = operator.post("/admin/signing-keys", null);
      assertThat(rotated.status()).as(rotated.toString()).isEqualTo(201);
      assertThat(rotated.body()).doesNotContain("secret");
      // then: new tokens name the new key, and the token signed before still works
      after = token(url(server), OPERATOR, OPERATOR_SECRET);
      assertThat(SignedJWT.parse(after).getHeader().getKeyID()).isEqualTo(rotated.json().path("kid").asText()).isNotEqualTo(firstKid);
      assertThat(operator.get("/admin/organizations").status()).isEqualTo(200);
      assertThat(operator.get("/admin/signing-keys").json().findValuesAsText("kid")).containsExactlyInAnyOrder(firstKid, rotated.json().path("kid").asText());
      // and a tenant may not rotate or list them
      assertThat(Api.anonymous(url(server)).post("/admin/signing-keys", null).status()).isEqualTo(401);
    }

    // when: Backstop starts again
    try (ConfigurableApplicationContext server = start(OPERATOR)) {
      // then: both tokens are still valid
      assertThat(new Api(url(server), before).get("/admin/organizations").status()).isEqualTo(200);
      assertThat(new Api(url(server), after).get("/admin/organizations").status()).isEqualTo(200);

      // when: the replaced key is removed (leaked), the signing one cannot be
      Api operator = new Api(url(server), after);
      assertThat(operator.delete("/admin/signing-keys/" + SignedJWT.parse(after).getHeader().getKeyID()).status()).isEqualTo(409);
      assertThat(operator.delete("/admin/signing-keys/" + firstKid).status()).isEqualTo(204);
      // then: the token it signed is refused at once, the other still works
      assertThat(new Api(url(server), before).get("/admin/organizations").status()).isEqualTo(401);
      assertThat(operator.get("/admin/organizations").status()).isEqualTo(200);
      assertThat(operator.delete("/admin/signing-keys/" + firstKid).status()).isEqualTo(404);
    }

    // and: with another key encryption key, it refuses to start, saying why
    assertThatThrownBy(() -> start(OPERATOR, "--backstop.security.key-encryption-key=" + java.util.Base64.getEncoder().encodeToString(new byte[32])))
        .hasStackTraceContaining("encrypted with another key");
  }

  @Test
  void shouldKeepTheKeyOfAnInstallationFromBeforeKeyIdsEncryptedAndItsTokensValid() throws Exception {
    // given: an installation as it was: one plain key in the installation row, tokens without a kid
    byte[] legacyKey = new byte[32];
    new java.security.SecureRandom().nextBytes(legacyKey);
    try (ConfigurableApplicationContext server = start(OPERATOR)) {
      JdbcClient jdbc = JdbcClient.create(server.getBean(DataSource.class));
      jdbc.sql("delete from signing_keys").update();
      jdbc.sql("update installation set token_signing_key = :key").param("key", legacyKey).update();
    }
    com.nimbusds.jwt.JWTClaimsSet claims = new com.nimbusds.jwt.JWTClaimsSet.Builder()
        .issuer("backstop").subject(OPERATOR).issueTime(new java.util.Date())
        .expirationTime(java.util.Date.from(java.time.Instant.now().plusSeconds(600)))
        .claim("permissions", List.of("admin")).build();
    SignedJWT legacy = new SignedJWT(new com.nimbusds.jose.JWSHeader(com.nimbusds.jose.JWSAlgorithm.HS256), claims);
    legacy.sign(new com.nimbusds.jose.crypto.MACSigner(legacyKey));

    // when: this version starts on it
    try (ConfigurableApplicationContext server = start(OPERATOR)) {
      // then: the old token is still valid, the key is kept encrypted with an id, the plain copy gone
      assertThat(new Api(url(server), legacy.serialize()).get("/admin/organizations").status()).isEqualTo(200);
      JdbcClient jdbc = JdbcClient.create(server.getBean(DataSource.class));
      assertThat(jdbc.sql("select count(*) from installation where token_signing_key is not null").query(Long.class).single()).isZero();
      byte[] stored = jdbc.sql("select encrypted_key from signing_keys").query(byte[].class).single();
      assertThat(stored).isNotEqualTo(legacyKey);
      assertThat(verifies(legacy.serialize(), stored)).isFalse();
      // and new tokens are signed by that key, now with its id
      SignedJWT fresh = SignedJWT.parse(token(url(server), OPERATOR, OPERATOR_SECRET));
      assertThat(fresh.getHeader().getKeyID()).startsWith("k-");
      assertThat(fresh.verify(new MACVerifier(legacyKey))).isTrue();
    }
  }

  @Test
  void shouldThrottleGuessingPerClientIdAndTakeAsLongForAnUnknownId() throws Exception {
    try (ConfigurableApplicationContext server = start(OPERATOR)) {
      Api anonymous = Api.anonymous(url(server));
      // an unknown id and a wrong secret take about as long (the hash is checked either way)
      List<Long> unknown = new ArrayList<>();
      List<Long> wrong = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        unknown.add(timed(() -> assertThat(anonymous.token("nobody-" + System.nanoTime(), "x").status()).isEqualTo(401)));
        wrong.add(timed(() -> assertThat(anonymous.token(OPERATOR, "wrong-" + System.nanoTime()).status()).isEqualTo(401)));
      }
      // (minimums: the machine's other load only ever adds time; without the decoy an unknown id takes a few ms, a BCrypt check about 70)
      org.springframework.security.crypto.password.PasswordEncoder encoder = server.getBean(org.springframework.security.crypto.password.PasswordEncoder.class);
      String hash = encoder.encode("something");
      List<Long> bcrypt = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        bcrypt.add(timed(() -> encoder.matches("other", hash)));
      }
      assertThat(min(unknown)).as("unknown ids %s, wrong secrets %s, one hash check %s (ms)", unknown, wrong, bcrypt)
          .isGreaterThanOrEqualTo(min(bcrypt) / 2)
          .isGreaterThanOrEqualTo(min(wrong) / 3);

      // when: a fifth wrong secret for the operator's id
      assertThat(anonymous.token(OPERATOR, "wrong").status()).isEqualTo(401);
      // then: the id is throttled, even with the right secret, and says when to retry
      Api.Answer throttled = anonymous.token(OPERATOR, OPERATOR_SECRET);
      assertThat(throttled.status()).isEqualTo(429);
      assertThat(Long.parseLong(throttled.header("Retry-After").orElseThrow())).isBetween(1L, 60L);
      // and an unknown id guessed as often is throttled the same way (the answer tells nothing)
      for (int i = 0; i < 5; i++) {
        anonymous.token("guessed-id", "x");
      }
      assertThat(anonymous.token("guessed-id", "x").status()).isEqualTo(429);
      // while other ids are not held up
      assertThat(anonymous.token("another-id", "x").status()).isEqualTo(401);
    }
  }

  @Test
  void shouldRetireTheOperatorClientOfAReplacedId() throws Exception {
    String oldToken;
    try (ConfigurableApplicationContext server = start(OPERATOR)) {
      oldToken = token(url(server), OPERATOR, OPERATOR_SECRET);
    }
    try (ConfigurableApplicationContext server = start("operator-two")) {
      // then: the old id can neither act nor get a token
      assertThat(new Api(url(server), oldToken).get("/admin/organizations").status()).isEqualTo(401);
      assertThat(Api.anonymous(url(server)).token(OPERATOR, OPERATOR_SECRET).status()).isEqualTo(401);
      assertThat(Api.as(url(server), "operator-two", OPERATOR_SECRET).get("/admin/organizations").status()).isEqualTo(200);
    }
  }

  private ConfigurableApplicationContext start(String operatorId, String... more) {
    List<String> args = new ArrayList<>(List.of(
        "--server.port=0", "--backstop.data-dir=" + dataDir, "--backstop.admin.client-id=" + operatorId,
        "--backstop.admin.client-secret=" + OPERATOR_SECRET));
    args.addAll(List.of(more));
    return new SpringApplicationBuilder(BackstopApplication.class).run(args.toArray(String[]::new));
  }

  private static String url(ConfigurableApplicationContext server) {
    return "http://127.0.0.1:" + server.getEnvironment().getProperty("local.server.port");
  }

  private static String token(String url, String id, String secret) {
    return Api.anonymous(url).token(id, secret).json().path("access_token").asText();
  }

  private static boolean verifies(String token, byte[] key) {
    try {
      return key.length >= 32 && SignedJWT.parse(token).verify(new MACVerifier(key));
    } catch (Exception e) {
      return false;
    }
  }

  private static long timed(Runnable call) {
    long start = System.nanoTime();
    call.run();
    return (System.nanoTime() - start) / 1_000_000;
  }

  private static long min(List<Long> values) {
    return values.stream().mapToLong(Long::longValue).min().orElseThrow();
  }
}
