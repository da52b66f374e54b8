package dev.backstop.core.notification;

import java.net.URI;
import java.util.Optional;

/**
 * Which URLs Backstop may send requests to on an organization's behalf: the operator's rule
 * against server-side request forgery (a webhook pointed at Backstop's own network). Asked when a
 * webhook is created, and again before every attempt (names may resolve elsewhere by then).
 */
@FunctionalInterface
public interface Destinations {

  /**
   * Why the URL may not be called, phrased to follow the field's name ({@code points to …}); empty
   * when it may. May resolve the URL's host name (blocking, network); never throws.
   *
   * @param url an absolute http(s) URL with a host
   */
  Optional<String> refusal(URI url);
}
