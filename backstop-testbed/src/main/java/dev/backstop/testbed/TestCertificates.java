package dev.backstop.testbed;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A certificate authority made for one test run and a server certificate it signed for
 * {@code 127.0.0.1} (and {@code localhost}), made with the JDK's {@code keytool}: what an operator
 * running TLS with an own CA has. EC P-256 keys, valid for two days.
 */
public final class TestCertificates {

  private static final String PASSWORD = "testbed-keystore";

  private final String caPem;
  private final Path serverKeyStore;

  private TestCertificates(String caPem, Path serverKeyStore) {
    this.caPem = caPem;
    this.serverKeyStore = serverKeyStore;
  }

  /** A new CA and a server certificate it signed; the key stores go to {@code dir}. */
  public static TestCertificates generate(Path dir) {
    try {
      Files.createDirectories(dir);
      Path ca = dir.resolve("ca.p12");
      Path caPem = dir.resolve("ca.pem");
      Path server = dir.resolve("server.p12");
      Path request = dir.resolve("server.csr");
      Path serverPem = dir.resolve("server.pem");
      for (Path file : List.of(ca, caPem, server, request, serverPem)) {
        Files.deleteIfExists(file);
      }
      keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=Backstop Testbed CA " + dir.getFileName(),
          "-ext", "bc:c", "-validity", "2", "-keystore", ca.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);
      keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", ca.toString(), "-storepass", PASSWORD, "-file", caPem.toString());
      keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1",
          "-validity", "2", "-keystore", server.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);
      keytool("-certreq", "-alias", "server", "-keystore", server.toString(), "-storepass", PASSWORD, "-file", request.toString());
      keytool("-gencert", "-rfc", "-alias", "ca", "-keystore", ca.toString(), "-storepass", PASSWORD, "-infile", request.toString(),
          "-outfile", serverPem.toString(), "-validity", "2", "-ext", "san=ip:127.0.0.1,dns:localhost", "-ext", "eku=serverAuth");
      keytool("-importcert", "-noprompt", "-alias", "ca", "-file", caPem.toString(), "-keystore", server.toString(), "-storepass", PASSWORD);
      keytool("-importcert", "-alias", "server", "-file", serverPem.toString(), "-keystore", server.toString(), "-storepass", PASSWORD);
      return new TestCertificates(Files.readString(caPem, StandardCharsets.US_ASCII), server);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The CA's certificate in PEM: what the operator registers as {@code caCertificate}. */
  public String caPem() {
    return caPem;
  }

  /** A TLS context presenting the server certificate (with the CA in its chain). */
  public SSLContext serverContext() {
    try (InputStream in = Files.newInputStream(serverKeyStore)) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(in, PASSWORD.toCharArray());
      KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(store, PASSWORD.toCharArray());
      SSLContext tls = SSLContext.getInstance("TLS");
      tls.init(keys.getKeyManagers(), null, null);
      return tls;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new TestbedException("cannot read the test server key store " + serverKeyStore + ": " + e, e);
    }
  }

  private static void keytool(String... arguments) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Jdk.findHome().resolve("bin").resolve("keytool").toString());
    command.addAll(List.of(arguments));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    process.getOutputStream().close();
    try {
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        process.destroyForcibly();
        throw new TestbedException("keytool " + arguments[0] + " failed: " + output.strip());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new TestbedException("interrupted while keytool ran");
    }
  }
}
