package dev.backstop.server.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.MediaType;

/**
 * Writes a problem+json answer straight to the servlet response, for the answers given where no
 * content negotiation can run: a request Tomcat or the firewall refused, an Accept header that
 * cannot be parsed.
 */
final class ProblemResponses {

  private static final ObjectMapper JSON = new ObjectMapper();

  private ProblemResponses() {}

  static void write(HttpServletResponse response, int status, String slug, String title, String detail) throws IOException {
    response.setStatus(status);
    response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
    response.setCharacterEncoding("UTF-8");
    response.getOutputStream().write(body(status, slug, title, detail));
  }

  static byte[] body(int status, String slug, String title, String detail) throws IOException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", ApiProblem.typeOf(slug).toString());
    body.put("title", title);
    body.put("status", status);
    body.put("detail", detail);
    return JSON.writeValueAsBytes(body);
  }
}
