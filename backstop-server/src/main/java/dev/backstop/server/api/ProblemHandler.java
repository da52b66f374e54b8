package dev.backstop.server.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.backstop.core.usecase.FieldError;
import dev.backstop.server.audit.Audited;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.bind.MissingPathVariableException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Writes every error as {@code application/problem+json} (RFC 9457) with {@code type}, {@code
 * title}, {@code status}, {@code detail} and, for bad input, {@code errors} naming each field.
 * Never a stack trace: an unexpected error is logged and answered with a plain 500.
 */
@RestControllerAdvice
public class ProblemHandler extends ResponseEntityExceptionHandler {

  private static final Logger LOG = LoggerFactory.getLogger(ProblemHandler.class);

  @ExceptionHandler(ApiProblem.class)
  ResponseEntity<ProblemDetail> apiProblem(ApiProblem problem) {
    Audited.detail(problem.getMessage());
    ProblemDetail body = ProblemDetail.forStatusAndDetail(problem.status(), problem.getMessage());
    body.setType(problem.type());
    body.setTitle(problem.title());
    if (!problem.errors().isEmpty()) {
      body.setProperty("errors", problem.errors());
    }
    ResponseEntity.BodyBuilder response = ResponseEntity.status(problem.status()).contentType(MediaType.APPLICATION_PROBLEM_JSON);
    problem.headers().forEach(response::header);
    return response.body(body);
  }

  @ExceptionHandler(Exception.class)
  ResponseEntity<ProblemDetail> unexpected(Exception e) {
    LOG.error("Unexpected error answering a request", e);
    Audited.detail("unexpected error");
    ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR, "An unexpected error occurred; it was logged.");
    body.setType(ApiProblem.typeOf("internal"));
    body.setTitle("Internal error");
    return ResponseEntity.internalServerError().contentType(MediaType.APPLICATION_PROBLEM_JSON).body(body);
  }

  /**
   * Malformed JSON, a wrong type, an unknown field, a value that does not parse: name the field.
   * Jackson's own messages are not passed on beyond the parser's (they name Java types).
   */
  @Override
  protected ResponseEntity<Object> handleHttpMessageNotReadable(
      HttpMessageNotReadableException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof RequestBodyLimit.BodyTooLarge tooLarge) {
        return problem(ApiProblem.bodyTooLarge(tooLarge.limit));
      }
    }
    return problem(ApiProblem.validation(List.of(unreadable(e.getCause()))));
  }

  private static FieldError unreadable(Throwable cause) {
    if (cause instanceof RefusedValue refused) {
      return new FieldError(path(refused), refused.getOriginalMessage());
    }
    if (cause instanceof UnrecognizedPropertyException unknown) {
      return new FieldError(path(unknown), "is not a field of this request");
    }
    if (cause instanceof MismatchedInputException mismatch) {
      if (mismatch.getPath().isEmpty()) {
        // Jackson has no type of its own for this one (DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        boolean trailing = mismatch.getOriginalMessage() != null && mismatch.getOriginalMessage().startsWith("Trailing token");
        return new FieldError("body", trailing ? "malformed JSON: more than one value" : "must be a JSON object");
      }
      String expected = mismatch.getTargetType() == null ? "another type" : describe(mismatch.getTargetType());
      return new FieldError(path(mismatch), "must be " + expected);
    }
    if (cause instanceof JsonMappingException mapping) {
      return new FieldError(path(mapping), "invalid value");
    }
    if (cause instanceof StreamConstraintsException) {
      return new FieldError("body", "too deeply nested or too long");
    }
    if (cause instanceof StreamReadException parse) {
      return new FieldError("body", "malformed JSON: " + capped(parse.getOriginalMessage()));
    }
    if (cause instanceof JsonProcessingException) {
      return new FieldError("body", "malformed JSON");
    }
    return new FieldError("body", "unreadable request body");
  }

  @Override
  protected ResponseEntity<Object> handleTypeMismatch(TypeMismatchException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    String name = e instanceof MethodArgumentTypeMismatchException m ? m.getName() : e.getPropertyName();
    String expected = e.getRequiredType() == null ? "another type" : describe(e.getRequiredType());
    return problem(ApiProblem.validation(List.of(new FieldError(name, "must be " + expected + ", was '" + capped(String.valueOf(e.getValue())) + "'"))));
  }

  /** A path variable that is blank once decoded (e.g. {@code %20} where a UUID goes). */
  @Override
  protected ResponseEntity<Object> handleMissingPathVariable(
      MissingPathVariableException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    return problem(ApiProblem.validation(List.of(new FieldError(e.getVariableName(), "must be " + describe(e.getParameter().getParameterType())))));
  }

  /**
   * 406, written whatever the request accepts: an Accept header that cannot be parsed would fail
   * the content negotiation of this answer too, leaving it empty.
   */
  @Override
  protected ResponseEntity<Object> handleHttpMediaTypeNotAcceptable(
      HttpMediaTypeNotAcceptableException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    String detail = "This API answers application/json (and problems as application/problem+json); the Accept header allows neither.";
    Audited.detail(detail);
    if (request instanceof ServletWebRequest servlet && servlet.getResponse() != null) {
      try {
        ProblemResponses.write(servlet.getResponse(), 406, "not-acceptable", "Not Acceptable", detail);
        return null;
      } catch (java.io.IOException written) {
        LOG.debug("Could not write a 406 answer: {}", written.toString());
        return null;
      }
    }
    return super.handleHttpMediaTypeNotAcceptable(e, headers, status, request);
  }

  @Override
  protected ResponseEntity<Object> handleMissingServletRequestParameter(
      MissingServletRequestParameterException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    return problem(ApiProblem.validation(List.of(new FieldError(e.getParameterName(), "is required"))));
  }

  /** The framework's own answers (405, 415, …): their detail goes to the audit trail too. */
  @Override
  protected ResponseEntity<Object> handleExceptionInternal(Exception e, Object body, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    if (body instanceof ProblemDetail problem && problem.getDetail() != null) {
      Audited.detail(problem.getDetail());
    }
    return super.handleExceptionInternal(e, body, headers, status, request);
  }

  private ResponseEntity<Object> problem(ApiProblem problem) {
    ResponseEntity<ProblemDetail> entity = apiProblem(problem);
    return ResponseEntity.status(entity.getStatusCode()).headers(entity.getHeaders()).body(entity.getBody());
  }

  private static String path(JsonMappingException e) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference reference : e.getPath()) {
      if (reference.getFieldName() != null) {
        if (!path.isEmpty()) {
          path.append('.');
        }
        path.append(reference.getFieldName());
      } else if (reference.getIndex() >= 0) {
        path.append('[').append(reference.getIndex()).append(']');
      }
    }
    return path.isEmpty() ? "body" : path.toString();
  }

  private static String capped(String text) {
    return text == null ? "" : text.length() <= 200 ? text : text.substring(0, 200) + "…";
  }

  private static String describe(Class<?> type) {
    if (type == Long.class || type == long.class || type == Integer.class || type == int.class) {
      return "an integer";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (type == String.class) {
      return "a string";
    }
    if (type.isEnum()) {
      return "one of " + java.util.Arrays.toString(type.getEnumConstants());
    }
    if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
      return "an array";
    }
    if (type == java.util.UUID.class) {
      return "a UUID";
    }
    if (type == java.time.Duration.class) {
      return "an ISO-8601 duration such as PT5H";
    }
    return "an object";
  }

}
