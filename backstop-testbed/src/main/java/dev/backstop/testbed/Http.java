package dev.backstop.testbed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** A small JSON-over-HTTP client for the components' own APIs. */
public final class Http {

  /** An answer: status code, body and headers. */
  public record Response(int status, String body, Map<String, java.util.List<String>> headers) {
    public boolean isSuccess() {
      return status >= 200 && status < 300;
    }

    public JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new TestbedException("not JSON (HTTP " + status + "): " + body, e);
      }
    }

    /** The body as JSON, failing with the status and body unless the status is 2xx. */
    public JsonNode successJson() {
      if (!isSuccess()) {
        throw new TestbedException("HTTP " + status + ": " + body);
      }
      return json();
    }
  }

  static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

  private final HttpClient client =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(5))
          .version(HttpClient.Version.HTTP_1_1)
          .build();

  public Response get(String url, String... headers) {
    return send(request(url, headers).GET());
  }

  public Response delete(String url, String... headers) {
    return send(request(url, headers).DELETE());
  }

  public Response postJson(String url, Object body, String... headers) {
    return send(
        request(url, headers)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(toJson(body))));
  }

  public Response putJson(String url, Object body, String... headers) {
    return send(
        request(url, headers)
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(toJson(body))));
  }

  public Response send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(response.statusCode(), response.body(), response.headers().map());
    } catch (IOException e) {
      throw new TestbedException("request failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TestbedException("interrupted", e);
    }
  }

  /** True if a GET of {@code url} answers 2xx; false on any other answer or a refused connection. */
  public boolean isOk(String url) {
    try {
      return get(url).isSuccess();
    } catch (TestbedException e) {
      return false;
    }
  }

  static HttpRequest.Builder request(String url, String... headers) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url)).timeout(REQUEST_TIMEOUT);
    if (headers.length > 0) {
      builder.headers(headers);
    }
    return builder;
  }

  static String toJson(Object body) {
    if (body instanceof String text) {
      return text;
    }
    try {
      return JSON.writeValueAsString(body);
    } catch (IOException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
