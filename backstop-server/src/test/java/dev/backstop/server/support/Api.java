package dev.backstop.server.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/** A plain HTTP client of Backstop's API, as an outside caller would use it. */
public final class Api {

  /** An answer. */
  public record Answer(int status, String body, HttpResponse<String> raw) {
    public JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON (HTTP " + status + "): " + body, e);
      }
    }

    public Optional<String> header(String name) {
      return raw.headers().firstValue(name);
    }

    public String contentType() {
      return header("Content-Type").orElse("");
    }

    @Override
    public String toString() {
      return "HTTP " + status + " " + body;
    }
  }

  public static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String baseUrl;
  private final String token;
  private final String clientId;

  public Api(String baseUrl, String token) {
    this(baseUrl, token, null);
  }

  private Api(String baseUrl, String token, String clientId) {
    this.baseUrl = baseUrl;
    this.token = token;
    this.clientId = clientId;
  }

  /** The Authorization header this client sends ("Bearer …"); empty without a token. */
  public String authorization() {
    return token == null ? "" : "Bearer " + token;
  }

  /** The client whose token this sends, when it was made by {@link #as}. */
  public String clientId() {
    return clientId;
  }

  /** Without a token. */
  public static Api anonymous(String baseUrl) {
    return new Api(baseUrl, null);
  }

  /** Gets a token with the client-credentials grant and returns a client that sends it. */
  public static Api as(String baseUrl, String clientId, String secret) {
    Answer answer = anonymous(baseUrl).token(clientId, secret);
    if (answer.status() != 200) {
      throw new AssertionError("token request failed: " + answer);
    }
    return new Api(baseUrl, answer.json().path("access_token").asText(), clientId);
  }

  public Answer token(String clientId, String secret) {
    String form =
        "grant_type=client_credentials&client_id=" + encode(clientId) + "&client_secret=" + encode(secret) + "&audience=backstop";
    return send(
        HttpRequest.newBuilder(URI.create(baseUrl + "/oauth/token"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form)));
  }

  public Answer get(String path) {
    return send(request(path).GET());
  }

  public Answer delete(String path) {
    return send(request(path).DELETE());
  }

  /** POST with a JSON body given as text (null: an empty body, with the JSON content type, as Camunda's client sends it). */
  public Answer post(String path, String json) {
    return send(
        request(path)
            .header("Content-Type", "application/json")
            .POST(json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json)));
  }

  public Answer put(String path, String json) {
    return send(request(path).header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(json)));
  }

  public Answer postJson(String path, Object body) {
    try {
      return post(path, JSON.writeValueAsString(body));
    } catch (IOException e) {
      throw new IllegalArgumentException(e);
    }
  }

  public Answer putJson(String path, Object body) {
    try {
      return put(path, JSON.writeValueAsString(body));
    } catch (IOException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(60));
    if (token != null) {
      builder.header("Authorization", "Bearer " + token);
    }
    return builder;
  }

  private Answer send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Answer(response.statusCode(), response.body(), response);
    } catch (IOException e) {
      throw new AssertionError("request failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
