package dev.backstop.server.api;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.util.unit.DataSize;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Caps how much of a request body is read: no request of this API needs more than a few
 * kilobytes, and a body is read whole into memory before it is judged. A body announced larger
 * than the cap fails at its first read, one sent in chunks once the cap is passed; either way as
 * {@link BodyTooLarge}, which the {@link ProblemHandler} answers with 413, naming the body.
 */
final class RequestBodyLimit extends OncePerRequestFilter {

  /** A request body larger than the cap: the reading stops there. */
  static final class BodyTooLarge extends IOException {
    final DataSize limit;

    BodyTooLarge(DataSize limit) {
      super("request body larger than " + limit.toBytes() + " bytes");
      this.limit = limit;
    }
  }

  private final DataSize limit;

  RequestBodyLimit(DataSize limit) {
    this.limit = limit;
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    chain.doFilter(new Capped(request), response);
  }

  private final class Capped extends HttpServletRequestWrapper {
    private ServletInputStream capped;

    Capped(HttpServletRequest request) {
      super(request);
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
      if (capped == null) {
        capped = new CappedStream(super.getInputStream(), getContentLengthLong());
      }
      return capped;
    }
  }

  private final class CappedStream extends ServletInputStream {
    private final ServletInputStream body;
    private final long announced;
    private long read;

    CappedStream(ServletInputStream body, long announced) {
      this.body = body;
      this.announced = announced;
    }

    private void check(long more) throws BodyTooLarge {
      if (announced > limit.toBytes() || read + more > limit.toBytes()) {
        throw new BodyTooLarge(limit);
      }
    }

    @Override
    public int read() throws IOException {
      check(0);
      int b = body.read();
      if (b >= 0) {
        check(1);
        read++;
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      check(0);
      int n = body.read(buffer, offset, length);
      if (n > 0) {
        check(n);
        read += n;
      }
      return n;
    }

    @Override
    public boolean isFinished() {
      return body.isFinished();
    }

    @Override
    public boolean isReady() {
      return body.isReady();
    }

    @Override
    public void setReadListener(ReadListener listener) {
      body.setReadListener(listener);
    }
  }
}
