package dev.backstop.core.organization;

/**
 * A client just created, with its secret: the only time the secret exists outside the caller's
 * hands. It prints as {@code <redacted>}.
 */
public record NewApiClient(ApiClient client, String secret) {

  @Override
  public String toString() {
    return "NewApiClient[client=" + client + ", secret=<redacted>]";
  }
}
