package dev.backstop.testbed;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A TCP proxy on 127.0.0.1 in front of one component's port, whose faults are real network faults:
 * in {@link Mode#REFUSE} its port is closed (connection refused) and every open connection is
 * reset; in {@link Mode#BLACKHOLE} it accepts connections and reads what is sent on new and open
 * ones, but forwards nothing, answers nothing and closes nothing, as a hung peer does. {@link #tripAfter} switches the
 * mode right after a given request went through, which places a fault exactly at a step of a
 * procedure (e.g. "right after exporting was paused"); {@link #tripBefore} acts before a given
 * request goes through (e.g. "the moment Zeebe is asked to start its backup").
 *
 * <p>Unlike stopping the process ({@code SIGSTOP}), nothing sent while the fault lasts is delivered
 * later: a request made then is lost.
 */
public final class FaultProxy implements AutoCloseable {

  /** How the proxy treats connections. */
  public enum Mode {
    /** Forward both ways. */
    PASS,
    /** Port closed: new connections are refused, open ones reset. */
    REFUSE,
    /** Accept and swallow: no byte reaches the component, no answer comes back. */
    BLACKHOLE
  }

  private final InetSocketAddress target;
  private final int port;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final AtomicReference<Mode> mode = new AtomicReference<>(Mode.PASS);
  private final AtomicReference<Trip> trip = new AtomicReference<>();
  private final AtomicReference<Trip> tripBefore = new AtomicReference<>();
  private volatile ServerSocket server;
  private volatile boolean closed;

  private record Trip(byte[] marker, Runnable action, CountDownLatch tripped) {}

  /** Starts a proxy on a free loopback port in front of {@code targetPort} on 127.0.0.1. */
  public static FaultProxy inFrontOf(int targetPort) {
    return new FaultProxy(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), Ports.freeLoopbackPort());
  }

  private FaultProxy(InetSocketAddress target, int port) {
    this.target = target;
    this.port = port;
    listen();
  }

  public int port() {
    return port;
  }

  /** The proxy's base URL for an HTTP component: {@code http://127.0.0.1:<port>}. */
  public String url() {
    return "http://127.0.0.1:" + port;
  }

  public Mode mode() {
    return mode.get();
  }

  /** Switches the mode now. */
  public synchronized void set(Mode newMode) {
    Mode before = mode.getAndSet(newMode);
    if (newMode == Mode.REFUSE) {
      closeServer();
      resetAll();
    } else if (newMode == Mode.BLACKHOLE) {
      // Open connections stay open and go silent, as with a peer that hangs.
      if (before == Mode.REFUSE) {
        listen();
      }
    } else if (before == Mode.REFUSE) {
      listen();
    }
  }

  /**
   * Arms a switch: once a request whose bytes contain {@code requestMarker} (e.g. {@code "POST
   * /actuator/exporting/pause"}) has been forwarded and its answer has started to come back, the
   * proxy switches to {@code then}.
   *
   * @return counted down when the switch happened
   */
  public CountDownLatch tripAfter(String requestMarker, Mode then) {
    return tripAfter(requestMarker, () -> set(then));
  }

  /**
   * Like {@link #tripAfter(String, Mode)}, with any action: e.g. a fault on another component's
   * proxy, placed right after this component answered.
   */
  public CountDownLatch tripAfter(String requestMarker, Runnable action) {
    CountDownLatch tripped = new CountDownLatch(1);
    trip.set(new Trip(requestMarker.getBytes(StandardCharsets.ISO_8859_1), action, tripped));
    return tripped;
  }

  /**
   * Arms a switch that strikes before the request goes through: once a request whose bytes
   * contain {@code requestMarker} arrives, {@code action} runs (e.g. a fault, or stopping the
   * component), and only then are the bytes handled in the mode the proxy is in. With {@link
   * Mode#REFUSE} or {@link Mode#BLACKHOLE} set by the action, the request never reaches the
   * component: the fault strikes exactly when a procedure's step sends its first request.
   *
   * @return counted down once the action ran
   */
  public CountDownLatch tripBefore(String requestMarker, Runnable action) {
    CountDownLatch tripped = new CountDownLatch(1);
    tripBefore.set(new Trip(requestMarker.getBytes(StandardCharsets.ISO_8859_1), action, tripped));
    return tripped;
  }

  /** Like {@link #tripBefore(String, Runnable)}, switching to {@code then}. */
  public CountDownLatch tripBefore(String requestMarker, Mode then) {
    return tripBefore(requestMarker, () -> set(then));
  }

  /**
   * Like {@link #tripBefore(String, Mode)}: the request that carries {@code requestMarker} is the
   * first one swallowed ({@code BLACKHOLE}) or reset ({@code REFUSE}); it never reaches the component.
   */
  public CountDownLatch failFrom(String requestMarker, Mode then) {
    return tripBefore(requestMarker, then);
  }

  /** Disarms both switches (those that have not tripped yet). */
  public void disarm() {
    trip.set(null);
    tripBefore.set(null);
  }

  @Override
  public void close() {
    closed = true;
    closeServer();
    resetAll();
  }

  // ------------------------------------------------------------------------------------------

  private void listen() {
    try {
      ServerSocket socket = new ServerSocket();
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
      server = socket;
      Thread.ofPlatform().daemon().name("fault-proxy-" + port).start(() -> accept(socket));
    } catch (IOException e) {
      throw new UncheckedIOException("fault proxy cannot listen on 127.0.0.1:" + port, e);
    }
  }

  private void closeServer() {
    ServerSocket socket = server;
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }

  private void accept(ServerSocket socket) {
    while (!socket.isClosed() && !closed) {
      Socket client;
      try {
        client = socket.accept();
      } catch (IOException e) {
        return; // closed: REFUSE or close()
      }
      open.add(client);
      if (mode.get() == Mode.BLACKHOLE) {
        Thread.ofVirtual().start(() -> swallow(client));
        continue;
      }
      Socket upstream = new Socket();
      try {
        upstream.connect(target, 5_000);
      } catch (IOException e) {
        closeQuietly(client);
        continue;
      }
      open.add(upstream);
      Thread.ofVirtual().start(() -> pump(client, upstream, true));
      Thread.ofVirtual().start(() -> pump(upstream, client, false));
    }
  }

  private void swallow(Socket client) {
    byte[] buffer = new byte[8192];
    try (InputStream in = client.getInputStream()) {
      while (in.read(buffer) >= 0) {
        // read and drop
      }
    } catch (IOException ignored) {
      // reset
    } finally {
      closeQuietly(client);
    }
  }

  /** Copies one direction; requests (client to component) are scanned for an armed marker. */
  private void pump(Socket from, Socket to, boolean request) {
    byte[] buffer = new byte[8192];
    MarkerScanner scanner = new MarkerScanner();
    MarkerScanner beforeScanner = new MarkerScanner();
    try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
      int read;
      while ((read = in.read(buffer)) >= 0) {
        Trip before = tripBefore.get();
        if (request && before != null && beforeScanner.sawMarker(before.marker(), buffer, read)
            && tripBefore.compareAndSet(before, null)) {
          // Held here while the action runs: the request goes on only in the mode it leaves.
          before.action().run();
          before.tripped().countDown();
        }
        if (mode.get() == Mode.BLACKHOLE) {
          continue; // swallowed: nothing goes through, nothing is closed
        }
        if (mode.get() == Mode.REFUSE) {
          break;
        }
        out.write(buffer, 0, read);
        out.flush();
        Trip armed = trip.get();
        if (armed != null) {
          if (request && scanner.sawMarker(armed.marker(), buffer, read)) {
            markArmedConnection(from);
          } else if (!request && armedConnections.remove(to)) {
            if (trip.compareAndSet(armed, null)) {
              // A moment later, so that the answer is read before the connection is reset.
              Thread.ofVirtual().start(() -> {
                sleepQuietly(ANSWER_GRACE_MILLIS);
                armed.action().run();
                armed.tripped().countDown();
              });
            }
          }
        }
      }
    } catch (IOException ignored) {
      // one side went away or was reset
    } finally {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  private static final long ANSWER_GRACE_MILLIS = 200;

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Client sockets whose request carried the armed marker, waiting for their answer. */
  private final Set<Socket> armedConnections = ConcurrentHashMap.newKeySet();

  private void markArmedConnection(Socket client) {
    armedConnections.add(client);
  }

  private void resetAll() {
    for (Socket socket : open) {
      try {
        socket.setSoLinger(true, 0); // RST, not FIN: the peer sees the connection reset
      } catch (SocketException ignored) {
        // already closed
      }
      closeQuietly(socket);
    }
  }

  private void closeQuietly(Socket socket) {
    open.remove(socket);
    try {
      socket.close();
    } catch (IOException ignored) {
      // nothing to do
    }
  }

  /** Finds a byte sequence in a stream read in chunks (it may span two reads). */
  private static final class MarkerScanner {
    private byte[] tail = new byte[0];

    boolean sawMarker(byte[] marker, byte[] chunk, int length) {
      byte[] window = new byte[tail.length + length];
      System.arraycopy(tail, 0, window, 0, tail.length);
      System.arraycopy(chunk, 0, window, tail.length, length);
      boolean found = indexOf(window, marker) >= 0;
      int keep = Math.min(marker.length - 1, window.length);
      tail = java.util.Arrays.copyOfRange(window, window.length - keep, window.length);
      return found;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
      outer:
      for (int i = 0; i <= haystack.length - needle.length; i++) {
        for (int j = 0; j < needle.length; j++) {
          if (haystack[i + j] != needle[j]) {
            continue outer;
          }
        }
        return i;
      }
      return -1;
    }
  }

  /** Waits for a tripped switch, failing after {@code seconds}. */
  public static void await(CountDownLatch tripped, long seconds) {
    try {
      if (!tripped.await(seconds, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the fault proxy's switch was not tripped within " + seconds + " s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
