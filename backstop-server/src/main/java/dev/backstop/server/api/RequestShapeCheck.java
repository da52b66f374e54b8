package dev.backstop.server.api;

import dev.backstop.core.usecase.FieldError;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Refuses, before an endpoint acts, what it would otherwise only notice afterwards or not at all:
 * an Accept header this API cannot answer (it answers JSON; noticed only when the answer is
 * written, after a backup was created or a key rotated), a body sent to an operation that takes
 * none (it would act and ignore it), and U+0000 in a query parameter (PostgreSQL's text cannot
 * hold it).
 */
final class RequestShapeCheck implements HandlerInterceptor {

  private static final List<MediaType> ANSWERED = List.of(MediaType.APPLICATION_JSON, MediaType.APPLICATION_PROBLEM_JSON);

  @Override
  public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) throws Exception {
    if (!(handler instanceof HandlerMethod method) || !method.getBeanType().getPackageName().startsWith("dev.backstop.")) {
      return true;
    }
    checkAccept(request);
    checkParameters(request);
    checkBody(request, method);
    return true;
  }

  private static void checkAccept(HttpServletRequest request) throws HttpMediaTypeNotAcceptableException {
    List<String> accept = Collections.list(request.getHeaders("Accept"));
    if (accept.isEmpty() || accept.stream().allMatch(String::isBlank)) {
      return;
    }
    List<MediaType> accepted;
    try {
      accepted = MediaType.parseMediaTypes(accept);
    } catch (InvalidMediaTypeException e) {
      throw new HttpMediaTypeNotAcceptableException("Could not parse the Accept header");
    }
    if (accepted.stream().noneMatch(type -> ANSWERED.stream().anyMatch(type::isCompatibleWith))) {
      throw new HttpMediaTypeNotAcceptableException(ANSWERED);
    }
  }

  private static void checkParameters(HttpServletRequest request) {
    for (Map.Entry<String, String[]> parameter : request.getParameterMap().entrySet()) {
      boolean nul = parameter.getKey().indexOf('\u0000') >= 0;
      for (String value : parameter.getValue()) {
        nul |= value.indexOf('\u0000') >= 0;
      }
      if (nul) {
        throw ApiProblem.validation(List.of(new FieldError(parameter.getKey().replace('\u0000', '?'), "must not contain the character U+0000")));
      }
    }
  }

  private static void checkBody(HttpServletRequest request, HandlerMethod method) throws java.io.IOException {
    boolean takesBody =
        java.util.Arrays.stream(method.getMethodParameters())
            .anyMatch(p -> p.hasParameterAnnotation(RequestBody.class)
                // a form's fields, read as parameters (the token endpoint)
                || (p.hasParameterAnnotation(RequestParam.class) && Map.class.isAssignableFrom(p.getParameterType())));
    if (!takesBody && hasBody(request)) {
      throw ApiProblem.validation(List.of(new FieldError("body", "this operation takes no body")));
    }
  }

  /**
   * Whether a body came: by its length, or, sent in chunks (no length), by its first byte. Some
   * clients send an empty chunked body with every POST or DELETE; that is no body. The byte read
   * is lost, but only where the operation takes no body, and any byte refuses the request.
   */
  private static boolean hasBody(HttpServletRequest request) throws java.io.IOException {
    if (request.getContentLengthLong() >= 0) {
      return request.getContentLengthLong() > 0;
    }
    return request.getHeader("Transfer-Encoding") != null && request.getInputStream().read() != -1;
  }
}
