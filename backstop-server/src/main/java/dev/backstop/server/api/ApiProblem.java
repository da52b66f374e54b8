package dev.backstop.server.api;

import dev.backstop.core.usecase.FieldError;
import dev.backstop.core.usecase.Result;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;

/**
 * An answer other than success, thrown from a controller and written as RFC 9457 problem+json by
 * {@link ProblemHandler}. Factory methods name the kinds the API uses.
 */
public final class ApiProblem extends RuntimeException {

  private final HttpStatus status;
  private final String slug;
  private final String title;
  private final List<FieldError> errors;
  private final Map<String, String> headers;

  private ApiProblem(HttpStatus status, String slug, String title, String detail, List<FieldError> errors, Map<String, String> headers) {
    super(detail);
    this.status = status;
    this.slug = slug;
    this.title = title;
    this.errors = List.copyOf(errors);
    this.headers = Map.copyOf(headers);
  }

  public static ApiProblem validation(List<FieldError> errors) {
    String fields = String.join(", ", errors.stream().map(FieldError::field).distinct().toList());
    return new ApiProblem(HttpStatus.BAD_REQUEST, "validation", "Invalid request", "Invalid value of " + fields + ".", errors, Map.of());
  }

  /**
   * The value of a use case's success, or the problem that says why there is none: every kind of
   * {@link Result} mapped in this one place.
   */
  public static <T> T orThrow(Result<T> result) {
    return switch (result) {
      case Result.Ok<T> ok -> ok.value();
      case Result.Invalid<T> invalid -> throw validation(invalid.errors());
      case Result.NotFound<T> notFound -> throw notFound(notFound.detail());
      case Result.Forbidden<T> forbidden -> throw forbidden(forbidden.detail());
      case Result.Conflict<T> conflict -> throw conflict(conflict.detail(), conflict.errors());
    };
  }

  public static ApiProblem badRequest(String detail) {
    return new ApiProblem(HttpStatus.BAD_REQUEST, "bad-request", "Bad request", detail, List.of(), Map.of());
  }

  /** 413: the request body is larger than the API reads. */
  public static ApiProblem bodyTooLarge(org.springframework.util.unit.DataSize limit) {
    long kib = limit.toKilobytes();
    String size = kib >= 1024 && kib % 1024 == 0 ? (kib / 1024) + " MB" : kib + " KB";
    return new ApiProblem(HttpStatus.PAYLOAD_TOO_LARGE, "body-too-large", "Request body too large", "The request body is larger than " + size + ".",
        List.of(new FieldError("body", "must not be larger than " + size)), Map.of());
  }

  public static ApiProblem notFound(String detail) {
    return new ApiProblem(HttpStatus.NOT_FOUND, "not-found", "Not found", detail, List.of(), Map.of());
  }

  public static ApiProblem forbidden(String detail) {
    return new ApiProblem(HttpStatus.FORBIDDEN, "forbidden", "Forbidden", detail, List.of(), Map.of());
  }

  public static ApiProblem conflict(String detail) {
    return new ApiProblem(HttpStatus.CONFLICT, "conflict", "Conflict", detail, List.of(), Map.of());
  }

  /** 409 naming the fields whose values clash with what exists, e.g. a name already taken. */
  public static ApiProblem conflict(String detail, List<FieldError> errors) {
    return new ApiProblem(HttpStatus.CONFLICT, "conflict", "Conflict", detail, errors, Map.of());
  }

  public static ApiProblem planWithoutBackups(String detail) {
    return new ApiProblem(HttpStatus.FORBIDDEN, "plan-without-backups", "Plan does not include backups", detail, List.of(), Map.of());
  }

  public static ApiProblem unsupportedGeneration(String detail) {
    return new ApiProblem(HttpStatus.UNPROCESSABLE_ENTITY, "unsupported-generation", "Cluster generation not supported", detail, List.of(), Map.of());
  }

  /** The components report another Camunda version than the cluster's registered generation. */
  public static ApiProblem generationMismatch(String detail) {
    return new ApiProblem(HttpStatus.CONFLICT, "generation-mismatch", "Cluster generation does not match its components", detail, List.of(), Map.of());
  }

  public static ApiProblem rateLimited(String detail, long retryAfterSeconds) {
    return new ApiProblem(
        HttpStatus.TOO_MANY_REQUESTS, "rate-limited", "Rate limit", detail, List.of(), Map.of("Retry-After", Long.toString(retryAfterSeconds)));
  }

  public HttpStatus status() {
    return status;
  }

  public URI type() {
    return typeOf(slug);
  }

  public String title() {
    return title;
  }

  public List<FieldError> errors() {
    return errors;
  }

  public Map<String, String> headers() {
    return headers;
  }

  static URI typeOf(String slug) {
    return URI.create("urn:backstop:problem:" + slug);
  }
}
