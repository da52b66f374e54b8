package dev.backstop.core.organization;

/** Turns a client secret into what is stored: a slow, salted one-way hash (BCrypt in the server). */
@FunctionalInterface
public interface SecretHasher {

  String hash(String secret);
}
