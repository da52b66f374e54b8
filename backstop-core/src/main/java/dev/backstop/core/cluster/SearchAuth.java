package dev.backstop.core.cluster;

import java.util.Objects;

/**
 * How Backstop authenticates to a cluster's search engine (Elasticsearch or OpenSearch): HTTP
 * basic authentication, or an Elasticsearch API key. The secret half never prints
 * ({@code toString} says {@code <redacted>}) and is no bean property, so that a serializer that
 * meets it by mistake writes nothing secret; it is kept sealed by the persistence.
 */
public sealed interface SearchAuth {

  /** The value of the {@code Authorization} header. */
  String authorization();

  /** A username and a password, sent as {@code Authorization: Basic …}. */
  final class Basic implements SearchAuth {
    private final String username;
    private final String password;

    public Basic(String username, String password) {
      this.username = Objects.requireNonNull(username);
      this.password = Objects.requireNonNull(password);
    }

    public String username() {
      return username;
    }

    /** The secret: only for the request header and the sealed column. */
    public String password() {
      return password;
    }

    @Override
    public String authorization() {
      String pair = username + ":" + password;
      return "Basic " + java.util.Base64.getEncoder().encodeToString(pair.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Basic basic && basic.username.equals(username) && basic.password.equals(password);
    }

    @Override
    public int hashCode() {
      return Objects.hash(username, password);
    }

    @Override
    public String toString() {
      return "Basic[username=" + username + ", password=<redacted>]";
    }
  }

  /**
   * An API key as Elasticsearch hands it out encoded (Base64 of {@code id:api_key}), sent as
   * {@code Authorization: ApiKey …}.
   */
  final class ApiKey implements SearchAuth {
    private final String key;

    public ApiKey(String key) {
      this.key = Objects.requireNonNull(key);
    }

    /** The secret: only for the request header and the sealed column. */
    public String key() {
      return key;
    }

    @Override
    public String authorization() {
      return "ApiKey " + key;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof ApiKey apiKey && apiKey.key.equals(key);
    }

    @Override
    public int hashCode() {
      return key.hashCode();
    }

    @Override
    public String toString() {
      return "ApiKey[key=<redacted>]";
    }
  }
}
