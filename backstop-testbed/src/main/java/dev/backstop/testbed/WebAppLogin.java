package dev.backstop.testbed;

import java.util.List;

/**
 * A session with the public API of Operate or Tasklist 8.6, logged in as the default user: both
 * authenticate API calls by session cookie and expect the CSRF token they hand out at login.
 *
 * @param cookie the {@code Cookie} header to send
 * @param csrfToken the {@code X-CSRF-TOKEN} header to send
 */
record WebAppLogin(String cookie, String csrfToken) {

  private static final String USER = "demo";

  static WebAppLogin of(Http http, String appUrl, String app) {
    Http.Response login =
        http.send(
            Http.request(appUrl + "/api/login?username=" + USER + "&password=" + USER)
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()));
    if (!login.isSuccess()) {
      throw new TestbedException(app + " login failed: HTTP " + login.status() + " " + login.body());
    }
    String cookie =
        String.join("; ", login.headers().getOrDefault("set-cookie", List.of()).stream().map(header -> header.split(";", 2)[0]).toList());
    return new WebAppLogin(cookie, login.headers().getOrDefault("x-csrf-token", List.of("")).getFirst());
  }

  /** The headers every API call of the session carries. */
  String[] headers() {
    return new String[] {"Cookie", cookie, "X-CSRF-TOKEN", csrfToken};
  }
}
