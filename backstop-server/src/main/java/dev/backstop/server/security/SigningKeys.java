package dev.backstop.server.security;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The keys that sign access tokens (HMAC-SHA256), each with an id that the token's header names
 * ({@code kid}), kept encrypted in the database ({@link KeyEncryption}) so that every instance
 * shares them and a restart keeps tokens valid. The newest signs; {@link #rotate} adds a new one,
 * and older keys keep verifying the tokens they signed until those have expired, then go.
 */
public final class SigningKeys {

  private static final Logger LOG = LoggerFactory.getLogger(SigningKeys.class);

  /** How long a read of the keys is reused: another instance's rotation is seen within this. */
  static final Duration REFRESH = Duration.ofSeconds(5);

  /** A token naming a key not read yet reads them again at most this often (anyone can send one). */
  static final Duration RELOAD_ON_MISS = Duration.ofSeconds(1);

  /** What key ids look like; a token naming anything else is not worth a read. */
  static final java.util.regex.Pattern KID = java.util.regex.Pattern.compile("k-[0-9a-f]{12}");

  /** A signing key; {@link #toString} leaves its secret out. */
  public record SigningKey(String kid, byte[] secret, Instant createdAt) {
    @Override
    public String toString() {
      return "SigningKey[kid=" + kid + ", createdAt=" + createdAt + "]";
    }
  }

  private final JdbcClient jdbc;
  private final KeyEncryption encryption;
  private final Clock clock;
  private final Duration tokensLiveFor;
  private final SecureRandom random = new SecureRandom();
  /** The keys as last read, and as Nimbus looks them up: built once per read, not per token. */
  private record Read(List<SigningKey> keys, JWKSet set, Instant at) {}

  private volatile Read read;

  /**
   * @param tokensLiveFor how long a token can be accepted after it was signed (lifetime and clock
   *     skew): how long a replaced key must still verify
   */
  public SigningKeys(JdbcClient jdbc, TransactionTemplate transactions, KeyEncryption encryption, Clock clock, Duration tokensLiveFor) {
    this.jdbc = jdbc;
    this.encryption = encryption;
    this.clock = clock;
    this.tokensLiveFor = tokensLiveFor;
    transactions.executeWithoutResult(status -> firstKey());
    reload();
    LOG.info("Token signing keys: {} (encrypted with the key from {}); {} signs", read.keys().size(), encryption.source(), current().kid());
  }

  /**
   * The first key, once per installation (instances starting together agree through a lock). An
   * installation from before keys had ids keeps its key, now encrypted, so its tokens stay valid;
   * the plain copy is erased.
   */
  private void firstKey() {
    jdbc.sql("select pg_advisory_xact_lock(hashtext('backstop.signing_keys'))").query().singleRow();
    if (jdbc.sql("select count(*) from signing_keys").query(Long.class).single() > 0) {
      return;
    }
    Optional<byte[]> legacy = jdbc.sql("select token_signing_key from installation where token_signing_key is not null").query(byte[].class).optional();
    insert(legacy.orElseGet(this::newSecret));
    jdbc.sql("update installation set token_signing_key = null").update();
    legacy.ifPresent(key -> LOG.info("The token signing key of this installation is now kept encrypted, with an id"));
  }

  /** The key that signs new tokens: the newest. */
  public SigningKey current() {
    return fresh().get(0);
  }

  /** Every key that still verifies, newest first. */
  public List<SigningKey> all() {
    return fresh();
  }

  /**
   * Removes a key at once, so that no token it signed is accepted any more (a leaked key); never
   * the one that signs.
   *
   * @return whether it was there and removed; empty when it is the signing key
   */
  public Optional<Boolean> remove(String kid) {
    if (current().kid().equals(kid)) {
      return Optional.empty();
    }
    boolean removed = jdbc.sql("delete from signing_keys where kid = :kid and kid <> (select kid from signing_keys order by created_at desc, kid limit 1)")
        .param("kid", kid)
        .update() == 1;
    if (removed) {
      reload();
      LOG.warn("Token signing key {} removed: tokens it signed are refused from now on", kid);
    }
    return Optional.of(removed);
  }

  /** Adds a key that signs from now on; keys replaced longer ago than tokens live are removed. */
  public SigningKey rotate() {
    SigningKey added = insert(newSecret());
    // A key goes once the key after it has signed for longer than a token lives.
    jdbc.sql(
            """
            delete from signing_keys k
            where exists (select 1 from signing_keys newer where newer.created_at > k.created_at and newer.created_at < :cutoff)
            """)
        .param("cutoff", Timestamp.from(clock.instant().minus(tokensLiveFor)))
        .update();
    reload();
    LOG.info("Token signing key rotated: {} signs from now on; {} key(s) still verify", added.kid(), read.keys().size());
    return added;
  }

  /** The keys as Nimbus looks them up by the token's {@code kid}; an unknown id reads them again. */
  public JWKSource<SecurityContext> jwkSource() {
    return (JWKSelector selector, SecurityContext context) -> {
      Read current = freshRead();
      List<JWK> matching = selector.select(current.set());
      Optional<java.util.Set<String>> wanted = Optional.ofNullable(selector.getMatcher().getKeyIDs());
      if (matching.isEmpty() && wanted.isPresent() && wanted.get().stream().allMatch(kid -> kid != null && KID.matcher(kid).matches())) {
        matching = selector.select(readIfOlderThan(RELOAD_ON_MISS).set()); // rotated by another instance a moment ago
      }
      return matching;
    };
  }

  private List<SigningKey> fresh() {
    return freshRead().keys();
  }

  private Read freshRead() {
    Read last = read;
    return last != null && Duration.between(last.at(), clock.instant()).compareTo(REFRESH) <= 0 ? last : readIfOlderThan(REFRESH);
  }

  /** Reads the keys unless a read younger than {@code age} happened meanwhile (requests waiting here share one read). */
  private synchronized Read readIfOlderThan(Duration age) {
    Read last = read;
    if (last != null && Duration.between(last.at(), clock.instant()).compareTo(age) < 0) {
      return last;
    }
    return reload();
  }

  private synchronized Read reload() {
    List<SigningKey> keys =
        jdbc.sql("select kid, encrypted_key, created_at from signing_keys order by created_at desc, kid")
            .query((rs, row) -> new SigningKey(rs.getString("kid"), encryption.decrypt(rs.getBytes("encrypted_key")), rs.getTimestamp("created_at").toInstant()))
            .list();
    if (keys.isEmpty()) {
      throw new IllegalStateException("no token signing key in the database");
    }
    JWKSet set = new JWKSet(keys.stream().<JWK>map(k -> new OctetSequenceKey.Builder(k.secret()).keyID(k.kid()).build()).toList());
    read = new Read(keys, set, clock.instant());
    return read;
  }

  private SigningKey insert(byte[] secret) {
    byte[] id = new byte[6];
    random.nextBytes(id);
    SigningKey key = new SigningKey("k-" + HexFormat.of().formatHex(id), secret, clock.instant());
    jdbc.sql("insert into signing_keys (kid, encrypted_key, created_at) values (:kid, :key, :at)")
        .param("kid", key.kid())
        .param("key", encryption.encrypt(secret))
        .param("at", Timestamp.from(key.createdAt()))
        .update();
    return key;
  }

  private byte[] newSecret() {
    byte[] secret = new byte[32];
    random.nextBytes(secret);
    return secret;
  }
}
