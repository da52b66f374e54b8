package dev.backstop.server.api;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/**
 * Tomcat's answer to what it refuses itself, before any servlet — a path with an encoded slash,
 * backslash or NUL, invalid UTF-8, a request line or headers too long — as problem+json instead
 * of Tomcat's HTML page (which also names the server's version). Installed as the host's error
 * report valve by {@link ApiWebConfiguration}.
 */
public class ProblemErrorReportValve extends ErrorReportValve {

  @Override
  protected void report(Request request, Response response, Throwable throwable) {
    int status = response.getStatus();
    if (status < 400 || response.getContentWritten() > 0) {
      return;
    }
    AtomicBoolean ioAllowed = new AtomicBoolean(false);
    response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
    if (!ioAllowed.get()) {
      return;
    }
    HttpStatus known = HttpStatus.resolve(status);
    try {
      byte[] body = ProblemResponses.body(
          status,
          known == null ? "error" : known.name().toLowerCase().replace('_', '-'),
          known == null ? "Error" : known.getReasonPhrase(),
          status >= 500 ? "An unexpected error occurred." : "The request was refused before it reached an endpoint (its path, headers or size are not acceptable).");
      response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
      response.setCharacterEncoding("UTF-8");
      Writer writer = response.getReporter();
      if (writer != null) {
        writer.write(new String(body, StandardCharsets.UTF_8));
        response.finishResponse();
      }
    } catch (IOException | IllegalStateException e) {
      // the connection is gone or the answer committed: nothing more to write
    }
  }
}
