package dev.backstop.server.api;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;

/**
 * {@code /error}, where the servlet container sends what was refused before any endpoint saw it
 * (e.g. Spring Security's firewall refusing {@code ;} or {@code %25} in a path): answered as
 * problem+json like every other error, instead of Spring Boot's own JSON. Written directly, so
 * that the request's Accept header cannot make it fail.
 */
@Controller
public class ProblemErrorController implements ErrorController {

  @RequestMapping("${server.error.path:/error}")
  public void error(HttpServletRequest request, HttpServletResponse response) throws IOException {
    Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
    int status = code instanceof Integer value && value >= 400 ? value : 500;
    HttpStatus known = HttpStatus.resolve(status);
    String title = known == null ? "Error" : known.getReasonPhrase();
    String slug = known == null ? "error" : known.name().toLowerCase().replace('_', '-');
    String detail = status == 404 ? "No such resource."
        : status >= 500 ? "An unexpected error occurred; it was logged."
        : "The request was refused before it reached an endpoint (its path, headers or size are not acceptable).";
    response.reset();
    ProblemResponses.write(response, status, slug, title, detail);
  }
}
