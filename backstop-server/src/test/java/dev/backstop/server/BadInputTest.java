package dev.backstop.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.backstop.server.persistence.JdbcOrganizations;
import dev.backstop.server.security.SigningKeys;
import dev.backstop.server.security.TokenIssuer;
import dev.backstop.server.support.Api;
import dev.backstop.server.support.FakeComponents;
import dev.backstop.server.support.StandaloneBackstopTest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The "bad input" suite: every endpoint the served OpenAPI document lists gets a generated corpus
 * of malformed requests — bodies, path ids, query parameters, headers, tokens, methods — and
 * every answer must be below 500, a 4xx must be {@code application/problem+json} with {@code
 * status} and {@code title} (naming the field where a field is wrong), no answer may show a stack
 * trace or a class name, and the database's business state must be the same afterwards.
 *
 * <p>The endpoints come from {@code /v3/api-docs}, so a new endpoint gets the corpus without a
 * change here. The malformed inputs are the same on every run (the one random one, the key of the
 * foreign token, has a fixed seed; only the ids of what the test registers are new each time); a
 * failure names the method, the path, the kind of malformed input and the answer. Components are
 * {@link FakeComponents}: the registered cluster's components only need to answer its preflight,
 * and no request of the corpus may get as far as calling them. The token endpoint is public and
 * answers as OAuth 2.0 says (JSON with {@code error}), which is accepted from it.
 */
class BadInputTest extends StandaloneBackstopTest {

  /** Fewer operations than this in the document means it (or the enumeration) lost some. */
  private static final int EXPECTED_OPERATIONS = 34;

  /** A field name no request type has: an unknown field. */
  private static final String UNKNOWN_FIELD = "unexpectedField";

  /** What no answer may contain: a stack frame, an exception's or any fully qualified class name. */
  private static final Pattern LEAKED =
      Pattern.compile("Exception|\\tat |\\bat [a-z]+\\.[a-z]|\\b(java|javax|jakarta|com|org|dev|sun)\\.[a-z0-9_]+\\.[A-Za-z0-9_.$]+"
          // a class's method, as Jackson names its limits (StreamReadConstraints.getMaxNestingDepth())
          + "|\\b[A-Z][A-Za-z]+\\.[a-z][A-Za-z]*\\(\\)");

  @Autowired private SigningKeys signingKeys;
  @Autowired private JdbcOrganizations organizations;

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final List<String> failures = new ArrayList<>();
  private final Map<String, Integer> statuses = new TreeMap<>();
  private int sent;

  /** One operation of the OpenAPI document. */
  record Operation(String method, String path, List<String> pathParameters, List<String> queryParameters, Optional<JsonNode> bodySchema,
      boolean bodyRequired, boolean answersWithContent) {
    @Override
    public String toString() {
      return method + " " + path;
    }
  }

  /** One malformed request: what kind of malformation, and what it sends. */
  record Request(Operation operation, String kind, String method, String pathAndQuery, Map<String, String> headers, byte[] body) {}

  @Test
  void shouldAnswerEveryMalformedRequestWithAProblemAndChangeNothing() throws Exception {
    try (FakeComponents components = new FakeComponents(Duration.ZERO)) {
      // given: an organization with a registered cluster, a webhook and an API client; every id the paths take
      String organizationId = newOrganization();
      Api.Answer registered = operator.postJson("/clusters", registration(organizationId, "bad-input-" + UUID.randomUUID().toString().substring(0, 8), components.url()));
      assertThat(registered.status()).as(registered.toString()).isEqualTo(201);
      Api.Answer webhook = operator.postJson(
          "/organizations/" + organizationId + "/webhooks", Map.of("url", "http://127.0.0.1:9/bad-input", "events", List.of("backup.failed")));
      assertThat(webhook.status()).as(webhook.toString()).isEqualTo(201);
      Api.Answer client = operator.postJson("/admin/organizations/" + organizationId + "/clients", Map.of("name", "bad-input", "permissions", List.of("backups:read")));
      assertThat(client.status()).as(client.toString()).isEqualTo(201);
      Map<String, String> validIds = Map.of(
          "clusterId", registered.json().path("uuid").asText(),
          // no such backup or restore: each request reaches its validation, and a well-formed one is answered 404
          "backupId", "1",
          "restoreId", UUID.randomUUID().toString(),
          "orgId", organizationId,
          "webhookId", webhook.json().path("id").asText(),
          "clientId", client.json().path("clientId").asText(),
          "kid", operator.get("/admin/signing-keys").json().path(0).path("kid").asText());

      // and: the operations the served document lists
      JsonNode document = operator.get("/v3/api-docs").json();
      List<Operation> operations = operations(document);
      assertThat(operations).as("operations in /v3/api-docs").hasSizeGreaterThanOrEqualTo(EXPECTED_OPERATIONS);
      assertThat(operations.stream().map(Operation::toString))
          .contains("POST /clusters", "POST /clusters/{clusterId}/backups", "PUT /admin/clusters/{clusterId}/backup-policy", "DELETE /admin/signing-keys/{kid}");
      for (Operation operation : operations) {
        for (String parameter : operation.pathParameters()) {
          assertThat(validIds).as("a valid value for {%s} of %s", parameter, operation).containsKey(parameter);
        }
      }
      Set<String> paths = new java.util.LinkedHashSet<>(operations.stream().map(Operation::path).toList());
      List<Request> corpus = corpus(operations, paths, validIds, document);

      Instant corpusStart = Instant.now();
      String before = fingerprint(organizationId, components.url(), corpusStart);
      int componentCalls = components.requests();
      long auditBefore = lastAuditSequence();

      // when
      long started = System.nanoTime();
      for (Request request : corpus) {
        send(request);
      }
      long tookMillis = (System.nanoTime() - started) / 1_000_000;

      // then
      System.out.printf("Bad input: %d operations, %d requests in %d ms; statuses %s%n", operations.size(), sent, tookMillis, statuses);
      failures.forEach(failure -> System.out.println("Bad input failure: " + failure));
      assertThat(failures).as("%d of %d answers were wrong:%n%s", failures.size(), sent, String.join("\n", failures.subList(0, Math.min(60, failures.size()))))
          .isEmpty();
      assertThat(fingerprint(organizationId, components.url(), corpusStart)).as("the business state after the corpus").isEqualTo(before);
      assertThat(components.requests()).as("calls to the cluster's components during the corpus").isEqualTo(componentCalls);
      // the trail records each refused attempt of an authenticated caller, and nothing else (what Backstop
      // did on its own meanwhile, as "system", is the other tests' work still running)
      assertThat(JdbcClient.create(dataSource)
              .sql("select actor || ' ' || action || ' ' || outcome || ' ' || detail from audit_entries"
                  + " where sequence > :after and actor <> 'system' and outcome <> 'REJECTED'")
              .param("after", auditBefore).query(String.class).list())
          .as("audit entries of the corpus that are not REJECTED").isEmpty();
      // and the fingerprint does see a change: one well-formed request makes a difference
      assertThat(operator.postJson("/admin/organizations", Map.of("name", "after-bad-input-" + UUID.randomUUID(), "plan", "ENTERPRISE")).status()).isEqualTo(201);
      assertThat(fingerprint(organizationId, components.url(), corpusStart)).as("the fingerprint after a change").isNotEqualTo(before);
    }
  }

  // ---------------------------------------------------------------- the operations

  private static List<Operation> operations(JsonNode document) {
    List<Operation> operations = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields(); paths.hasNext(); ) {
      Map.Entry<String, JsonNode> path = paths.next();
      for (Iterator<Map.Entry<String, JsonNode>> methods = path.getValue().fields(); methods.hasNext(); ) {
        Map.Entry<String, JsonNode> entry = methods.next();
        String method = entry.getKey().toUpperCase();
        if (!List.of("GET", "POST", "PUT", "PATCH", "DELETE").contains(method)) {
          continue;
        }
        JsonNode operation = entry.getValue();
        List<String> pathParameters = new ArrayList<>();
        List<String> queryParameters = new ArrayList<>();
        for (JsonNode parameter : operation.path("parameters")) {
          (parameter.path("in").asText().equals("path") ? pathParameters : queryParameters).add(parameter.path("name").asText());
        }
        JsonNode content = operation.path("requestBody").path("content");
        Optional<JsonNode> schema = content.isObject() && content.size() > 0
            ? Optional.of(resolve(document, content.elements().next().path("schema")))
            : Optional.empty();
        boolean withContent = false;
        for (Iterator<Map.Entry<String, JsonNode>> answers = operation.path("responses").fields(); answers.hasNext(); ) {
          Map.Entry<String, JsonNode> answer = answers.next();
          withContent |= answer.getKey().startsWith("2") && answer.getValue().path("content").size() > 0;
        }
        operations.add(new Operation(method, path.getKey(), pathParameters, queryParameters, schema,
            operation.path("requestBody").path("required").asBoolean(false), withContent));
      }
    }
    return operations;
  }

  private static JsonNode resolve(JsonNode document, JsonNode schema) {
    String ref = schema.path("$ref").asText();
    if (ref.startsWith("#/components/schemas/")) {
      return document.path("components").path("schemas").path(ref.substring("#/components/schemas/".length()));
    }
    return schema;
  }

  // ---------------------------------------------------------------- the corpus

  private List<Request> corpus(List<Operation> operations, Set<String> paths, Map<String, String> validIds, JsonNode document) throws Exception {
    List<Request> corpus = new ArrayList<>();
    String operatorToken = operator.authorization();
    for (Operation operation : operations) {
      String validPath = fill(operation.path(), validIds, null, null);
      byte[] baseBody = operation.bodySchema().isPresent() ? "{}".getBytes(StandardCharsets.UTF_8) : null;
      Map<String, String> json = headers("Authorization", operatorToken, "Content-Type", "application/json", "Accept", "application/json");

      // path ids
      for (String parameter : operation.pathParameters()) {
        for (Map.Entry<String, String> id : badIds().entrySet()) {
          corpus.add(new Request(operation, "path {" + parameter + "} " + id.getKey(), operation.method(), fill(operation.path(), validIds, parameter, id.getValue()), json, baseBody));
        }
      }

      // bodies
      if (operation.bodySchema().isPresent()) {
        for (Map.Entry<String, byte[]> body : badBodies(operation.bodySchema().get(), operation.bodyRequired(), document).entrySet()) {
          corpus.add(new Request(operation, "body " + body.getKey(), operation.method(), validPath, json, body.getValue()));
        }
        // content types and charsets
        corpus.add(new Request(operation, "header Content-Type missing", operation.method(), validPath, without(json, "Content-Type"), baseBody));
        corpus.add(new Request(operation, "header Content-Type text/plain", operation.method(), validPath, with(json, "Content-Type", "text/plain"), baseBody));
        corpus.add(new Request(operation, "header Content-Type application/xml", operation.method(), validPath, with(json, "Content-Type", "application/xml"), "<a/>".getBytes(StandardCharsets.UTF_8)));
        corpus.add(new Request(operation, "header Content-Type form", operation.method(), validPath, with(json, "Content-Type", "application/x-www-form-urlencoded"), "name=x".getBytes(StandardCharsets.UTF_8)));
        corpus.add(new Request(operation, "header Content-Type unparsable", operation.method(), validPath, with(json, "Content-Type", "json;;;==="), baseBody));
        corpus.add(new Request(operation, "header charset that does not exist", operation.method(), validPath, with(json, "Content-Type", "application/json; charset=klingon-8"), baseBody));
        corpus.add(new Request(operation, "header charset UTF-16 with UTF-8 bytes", operation.method(), validPath, with(json, "Content-Type", "application/json; charset=UTF-16"), "{\"a\":1}".getBytes(StandardCharsets.UTF_8)));
      } else if (operation.method().equals("POST") || operation.method().equals("PUT")) {
        // an operation without a body, sent one it does not take
        corpus.add(new Request(operation, "body not JSON where none is taken", operation.method(), validPath, json, "not json".getBytes(StandardCharsets.UTF_8)));
      }

      // what the answer may be
      if (operation.answersWithContent()) {
        corpus.add(new Request(operation, "header Accept application/xml", operation.method(), validPath, with(json, "Accept", "application/xml"), baseBody));
        corpus.add(new Request(operation, "header Accept text/csv", operation.method(), validPath, with(json, "Accept", "text/csv"), baseBody));
        corpus.add(new Request(operation, "header Accept unparsable", operation.method(), validPath, with(json, "Accept", "application/json;q=;;;"), baseBody));
      }

      // query parameters
      for (String parameter : operation.queryParameters()) {
        for (Map.Entry<String, String> value : badQueryValues(parameter).entrySet()) {
          corpus.add(new Request(operation, "query " + parameter + " " + value.getKey(), operation.method(), validPath + "?" + value.getValue(), json, baseBody));
        }
      }

      // tokens
      if (!isPublic(operation)) {
        for (Map.Entry<String, String> authorization : badAuthorizations().entrySet()) {
          Map<String, String> headers = authorization.getValue() == null ? without(json, "Authorization") : with(json, "Authorization", authorization.getValue());
          corpus.add(new Request(operation, "token " + authorization.getKey(), operation.method(), validPath, headers, baseBody));
        }
      }
    }

    // methods the document does not list for a path
    for (String path : paths) {
      Set<String> listed = new java.util.HashSet<>(operations.stream().filter(o -> o.path().equals(path)).map(Operation::method).toList());
      Operation any = operations.stream().filter(o -> o.path().equals(path)).findFirst().orElseThrow();
      for (String method : List.of("GET", "POST", "PUT", "PATCH", "DELETE")) {
        if (!listed.contains(method)) {
          corpus.add(new Request(any, "method " + method + " not allowed", method, fill(path, validIds, null, null),
              headers("Authorization", operatorToken, "Content-Type", "application/json"), "{}".getBytes(StandardCharsets.UTF_8)));
        }
      }
    }
    return corpus;
  }

  /** Ids no path takes; the values are put into the path as they are (already encoded where they hold a %). */
  private static Map<String, String> badIds() {
    Map<String, String> ids = new LinkedHashMap<>();
    ids.put("non-numeric", "twelve");
    ids.put("negative", "-5");
    ids.put("zero", "0");
    ids.put("beyond Long", "9223372036854775808");
    ids.put("far beyond Long", "1" + "0".repeat(40));
    ids.put("decimal", "1.5");
    ids.put("10k characters", "a".repeat(10_000));
    ids.put("2k characters", "b".repeat(2_000));
    ids.put("dot-dot encoded slash", "..%2F..%2Fadmin");
    ids.put("encoded slash", "a%2Fb");
    ids.put("encoded backslash", "a%5Cb");
    ids.put("encoded NUL", "a%00b");
    ids.put("unicode", "%E2%98%83%F0%9F%92%A5");
    ids.put("invalid UTF-8", "%C3%28%FF");
    ids.put("blank", "%20");
    ids.put("semicolon", "x;jsessionid=1");
    ids.put("encoded percent", "%25");
    return ids;
  }

  private Map<String, byte[]> badBodies(JsonNode schema, boolean bodyRequired, JsonNode document) {
    Map<String, byte[]> bodies = new LinkedHashMap<>();
    bodies.put("not JSON", utf8("this is not json"));
    bodies.put("truncated JSON", utf8("{\"name\": \"x"));
    bodies.put("JSON array", utf8("[]"));
    bodies.put("JSON number", utf8("42"));
    bodies.put("JSON string", utf8("\"text\""));
    bodies.put("JSON null", utf8("null"));
    bodies.put("JSON true", utf8("true"));
    bodies.put("unknown field", utf8("{\"" + UNKNOWN_FIELD + "\": 1}"));
    bodies.put("duplicate field", utf8("{\"" + UNKNOWN_FIELD + "\": 1, \"" + UNKNOWN_FIELD + "\": 2}"));
    bodies.put("10,000 levels of arrays", utf8("{\"a\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}"));
    bodies.put("10,000 levels of objects", utf8("{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000)));
    bodies.put("invalid UTF-8", new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, (byte) 0xFF, '"', ':', '1', '}'});
    // RFC 8259 lets a parser ignore a BOM, so what follows it is what is malformed
    bodies.put("BOM before an array", concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, utf8("[]")));
    bodies.put("BOM in the middle", utf8("{\"a\": 1, \uFEFF\"b\": 2}"));
    bodies.put("NUL character raw", utf8("{\"a\u0000\": 1}"));
    bodies.put("NUL character escaped", utf8("{\"a\": \"\\u0000\"}"));
    bodies.put("lone surrogate", utf8("{\"a\": \"\\ud800\"}"));
    bodies.put("5 MB string", utf8("{\"a\": \"" + "x".repeat(5 * 1024 * 1024) + "\"}"));
    bodies.put("5 MB array", utf8("{\"a\": [" + "1,".repeat(2 * 1024 * 1024) + "1]}"));
    if (bodyRequired) {
      // (without a body is how Camunda's client asks for a backup: well-formed where the body is optional)
      bodies.put("empty", new byte[0]);
    }
    bodies.put("whitespace", utf8("   \n  "));
    bodies.put("trailing garbage", utf8("{} {}"));
    bodies.put("number overflow", utf8("{\"a\": 1" + "0".repeat(500) + "}"));
    // every property of the request type: of the wrong type, null, very long
    JsonNode properties = schema.path("properties");
    for (Iterator<Map.Entry<String, JsonNode>> fields = properties.fields(); fields.hasNext(); ) {
      Map.Entry<String, JsonNode> field = fields.next();
      String name = field.getKey();
      JsonNode type = resolve(document, field.getValue());
      String wrong = switch (type.path("type").asText("object")) {
        case "string" -> "{\"nested\": true}";
        case "integer", "number" -> "\"many\"";
        case "boolean" -> "[1]";
        case "array" -> "{\"nested\": true}";
        default -> "[1, 2]";
      };
      bodies.put("wrong type of field " + name, utf8("{\"" + name + "\": " + wrong + "}"));
      // (null in an optional field of a body that may be left out is a well-formed request)
      if (bodyRequired) {
        bodies.put("null field " + name, utf8("{\"" + name + "\": null}"));
      }
      bodies.put("10k-character field " + name, utf8("{\"" + name + "\": \"" + "y".repeat(10_000) + "\"}"));
      if (type.path("type").asText().equals("string")) {
        // PostgreSQL's text cannot hold U+0000
        bodies.put("NUL in field " + name, utf8("{\"" + name + "\": \"a\\u0000b\"}"));
      }
    }
    return bodies;
  }

  private static Map<String, String> badQueryValues(String parameter) {
    Map<String, String> values = new LinkedHashMap<>();
    values.put("non-numeric", parameter + "=twelve");
    values.put("negative", parameter + "=-1");
    values.put("beyond Long", parameter + "=9223372036854775808");
    values.put("repeated", parameter + "=1&" + parameter + "=2");
    values.put("empty", parameter + "=");
    values.put("without value", parameter);
    values.put("6k characters", parameter + "=" + "q".repeat(6_000));
    values.put("encoded NUL", parameter + "=%00");
    values.put("invalid UTF-8", parameter + "=%C3%28");
    return values;
  }

  /** Authorization headers that must not get through (null: none at all). */
  private Map<String, String> badAuthorizations() throws Exception {
    Map<String, String> values = new LinkedHashMap<>();
    values.put("missing", null);
    values.put("empty", "");
    values.put("Bearer without token", "Bearer ");
    values.put("Basic instead of Bearer", "Basic " + java.util.Base64.getEncoder().encodeToString((OPERATOR_ID + ":" + OPERATOR_SECRET).getBytes(StandardCharsets.UTF_8)));
    values.put("token without Bearer", operator.authorization().substring("Bearer ".length()));
    values.put("garbage token", "Bearer not.a.token");
    values.put("garbage of JWT shape", "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.AAAA");
    values.put("token signed by another key", "Bearer " + signedByAnotherKey());
    values.put("expired token", "Bearer " + expired());
    values.put("token with alg none", "Bearer " + unsigned());
    values.put("10k-character token", "Bearer " + "z".repeat(7_000));
    return values;
  }

  /** The operator's claims and the current key's id, signed with a key Backstop never had (fixed seed). */
  private String signedByAnotherKey() throws Exception {
    byte[] key = new byte[32];
    new Random(12).nextBytes(key);
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(signingKeys.current().kid()).build(), operatorClaims(Instant.now()));
    jwt.sign(new MACSigner(key));
    return jwt.serialize();
  }

  /** A token Backstop signed itself two hours ago: it lived an hour. */
  private String expired() {
    Clock past = Clock.fixed(Instant.now().minus(Duration.ofHours(2)), ZoneOffset.UTC);
    return new TokenIssuer(signingKeys, past, Duration.ofHours(1)).issue(organizations.findClient(OPERATOR_ID).orElseThrow(), Optional.empty()).accessToken();
  }

  /** The operator's claims without a signature ({@code alg: none}). */
  private static String unsigned() throws Exception {
    return new com.nimbusds.jwt.PlainJWT(operatorClaims(Instant.now())).serialize();
  }

  private static JWTClaimsSet operatorClaims(Instant now) {
    return new JWTClaimsSet.Builder()
        .issuer("backstop").subject(OPERATOR_ID).issueTime(Date.from(now)).notBeforeTime(Date.from(now))
        .expirationTime(Date.from(now.plusSeconds(600))).claim("permissions", List.of("admin")).build();
  }

  private static boolean isPublic(Operation operation) {
    return operation.path().equals("/oauth/token");
  }

  // ---------------------------------------------------------------- sending and judging

  private void send(Request request) throws InterruptedException {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl() + request.pathAndQuery())).timeout(Duration.ofSeconds(60));
    request.headers().forEach(builder::header);
    builder.method(request.method(), request.body() == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(request.body()));
    String what = request.method() + " " + shortened(request.pathAndQuery()) + " [" + request.kind() + "] (" + request.operation() + ")";
    HttpResponse<String> response;
    try {
      response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      failures.add(what + " → no answer: " + e);
      return;
    }
    sent++;
    statuses.merge(Integer.toString(response.statusCode()), 1, Integer::sum);
    judge(request, what, response).ifPresent(problem -> failures.add(what + " → " + problem + ": HTTP " + response.statusCode() + " "
        + response.headers().firstValue("Content-Type").orElse("(no Content-Type)") + " " + shortened(response.body())));
  }

  /** What is wrong with the answer, if anything. */
  private Optional<String> judge(Request request, String what, HttpResponse<String> response) {
    int status = response.statusCode();
    String body = response.body();
    if (status >= 500) {
      return Optional.of("a server error");
    }
    if (LEAKED.matcher(body).find()) {
      return Optional.of("a stack trace or class name in the answer");
    }
    if (status < 400) {
      return request.method().equals("GET") ? Optional.empty() : Optional.of("a malformed request was accepted");
    }
    if (request.kind().startsWith("token ") && status != 401) {
      return Optional.of("not 401 for a bad token");
    }
    String contentType = response.headers().firstValue("Content-Type").orElse("");
    if (isPublic(request.operation())) {
      // the token endpoint answers as OAuth 2.0 says (RFC 6749 5.2): JSON with "error", or a problem
      if (contentType.startsWith("application/json")) {
        return json(body).filter(node -> node.path("error").isTextual()).isPresent() ? Optional.empty() : Optional.of("not an OAuth error");
      }
    }
    if (!contentType.startsWith("application/problem+json")) {
      return Optional.of("not application/problem+json");
    }
    Optional<JsonNode> problem = json(body);
    if (problem.isEmpty() || !problem.get().isObject()) {
      return Optional.of("a problem that is not a JSON object");
    }
    if (problem.get().path("status").asInt() != status || problem.get().path("title").asText().isBlank()) {
      return Optional.of("a problem without its status and title");
    }
    JsonNode errors = problem.get().path("errors");
    if (status == 400 && problem.get().path("type").asText().endsWith(":validation")) {
      if (!errors.isArray() || errors.isEmpty()) {
        return Optional.of("a validation problem naming no field");
      }
      for (JsonNode error : errors) {
        if (error.path("field").asText().isBlank() || error.path("message").asText().isBlank()) {
          return Optional.of("a field error without its field or message");
        }
      }
    }
    // a wrong or unknown field is named
    String named = request.kind().startsWith("body wrong type of field ") ? request.kind().substring("body wrong type of field ".length())
        : request.kind().equals("body unknown field") ? UNKNOWN_FIELD : null;
    if (named != null && status == 400 && !errors.findValuesAsText("field").contains(named)) {
      return Optional.of("the field " + named + " not named");
    }
    return Optional.empty();
  }

  // ---------------------------------------------------------------- the state

  /**
   * The business state a malformed request could change, as the count and MD5 of the sorted rows
   * of one query per table. Backstop is shared with the other standalone tests, whose clusters
   * have work of their own still running (failed backups' cleanup retried, deletions finished by
   * housekeeping, overdue checks delivering to their webhooks): so the global tables are taken
   * whole, the per-cluster ones for this test's organization's clusters, and, across everything,
   * what was created since {@code since}. Left out: the audit trail, which records every refused
   * attempt by design (checked on its own: nothing but REJECTED entries), and of db-scheduler's
   * table the timing columns (they move by themselves). A table without a query here fails the
   * test, so that a new table is not silently left out.
   */
  private String fingerprint(String organizationId, String componentsUrl, Instant since) {
    String mine = "(select id from clusters where organization_id = '" + organizationId + "'::uuid)";
    String after = "'" + since + "'::timestamptz";
    Map<String, String> queries = new LinkedHashMap<>();
    for (String global : List.of("installation", "signing_keys", "organizations", "api_clients", "flyway_schema_history")) {
      queries.put(global, "select * from " + global);
    }
    queries.put("clusters", "select * from clusters where id in " + mine + " or created_at >= " + after);
    for (String perCluster : List.of("cluster_backup_policies", "backup_schedules", "schedule_runs")) {
      queries.put(perCluster, "select * from " + perCluster + " where cluster_id in " + mine);
    }
    queries.put("backups", "select * from backups where cluster_id in " + mine + " or created_at >= " + after);
    queries.put("backup_object_sizes", "select * from backup_object_sizes where cluster_id in " + mine);
    queries.put("restores", "select * from restores where cluster_id in " + mine + " or requested_at >= " + after);
    queries.put("webhooks", "select * from webhooks where organization_id = '" + organizationId + "'::uuid or created_at >= " + after);
    queries.put("webhook_deliveries",
        "select * from webhook_deliveries where webhook_id in (select id from webhooks where organization_id = '" + organizationId + "'::uuid)");
    queries.put("zeebe_backup_ids", "select * from zeebe_backup_ids where zeebe_management_url like '" + componentsUrl + "%'");
    // an operation's instance names its cluster (the backup's or restore's key), a scheduled run's is the cluster's id
    queries.put("scheduled_tasks",
        "select t.task_name, t.task_instance from scheduled_tasks t where exists (select 1 from clusters c where c.organization_id = '"
            + organizationId + "'::uuid and t.task_instance like '%' || c.id || '%')");
    queries.put("audit_entries", null);

    JdbcClient jdbc = JdbcClient.create(dataSource);
    List<String> tables = jdbc.sql("select table_name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE' order by 1")
        .query(String.class).list();
    assertThat(queries.keySet()).as("the tables the fingerprint reads (a new table needs its query)").containsExactlyInAnyOrderElementsOf(tables);
    StringBuilder fingerprint = new StringBuilder();
    for (String table : tables) {
      String rows = queries.get(table);
      if (rows != null) {
        fingerprint.append(table).append(": ")
            .append(jdbc.sql("select count(*) || ' ' || coalesce(md5(string_agg(t::text, '|' order by t::text)), '-') from (" + rows + ") t").query(String.class).single())
            .append('\n');
      }
    }
    return fingerprint.toString();
  }

  private long lastAuditSequence() {
    return JdbcClient.create(dataSource).sql("select coalesce(max(sequence), 0) from audit_entries").query(Long.class).single();
  }

  // ---------------------------------------------------------------- helpers

  private static String fill(String template, Map<String, String> ids, String replaced, String replacement) {
    String path = template;
    for (Map.Entry<String, String> id : ids.entrySet()) {
      path = path.replace("{" + id.getKey() + "}", id.getKey().equals(replaced) ? replacement : id.getValue());
    }
    return path;
  }

  private static Map<String, String> headers(String... namesAndValues) {
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      headers.put(namesAndValues[i], namesAndValues[i + 1]);
    }
    return headers;
  }

  private static Map<String, String> with(Map<String, String> headers, String name, String value) {
    Map<String, String> copy = new LinkedHashMap<>(headers);
    copy.put(name, value);
    return copy;
  }

  private static Map<String, String> without(Map<String, String> headers, String name) {
    Map<String, String> copy = new LinkedHashMap<>(headers);
    copy.remove(name);
    return copy;
  }

  private static Optional<JsonNode> json(String body) {
    try {
      return Optional.ofNullable(Api.JSON.readTree(body));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] both = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    return both;
  }

  private static String shortened(String text) {
    return text.length() <= 300 ? text : text.substring(0, 300) + "…(" + text.length() + " characters)";
  }
}
