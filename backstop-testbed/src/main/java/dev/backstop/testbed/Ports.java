package dev.backstop.testbed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Free TCP ports on the loopback interface, for components that must be given a port up front. */
public final class Ports {

  private Ports() {}

  /**
   * A port that was free on 127.0.0.1 a moment ago. There is a short window in which another
   * process may take it; the components fail to start then, and say so in their logs.
   */
  public static int freeLoopbackPort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on 127.0.0.1", e);
    }
  }
}
