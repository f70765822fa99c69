package io.gymlink.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * Real X.509 material for TLS tests, made with the {@code openssl} command: a CA, a server certificate for
 * 127.0.0.1 and localhost, and a client certificate (PKCS#8 keys, as gRPC wants them).
 *
 * @param ca the CA certificate
 * @param server the server certificate, signed by {@code ca}
 * @param serverKey its key
 * @param client the client certificate, signed by {@code ca}
 * @param clientKey its key
 */
public record TestCertificates(Path ca, Path server, Path serverKey, Path client, Path clientKey) {

  /** Makes fresh certificates in {@code directory}; skips the test when there is no openssl command. */
  public static TestCertificates create(Path directory) throws IOException, InterruptedException {
    return create(directory, "IP:127.0.0.1,DNS:localhost");
  }

  /**
   * Makes fresh certificates whose server certificate names {@code serverNames} (a subjectAltName value, e.g.
   * {@code DNS:envservers.test}); skips the test when there is no openssl command.
   */
  public static TestCertificates create(Path directory, String serverNames) throws IOException,
      InterruptedException {
    Assumptions.assumeTrue(openssl(directory, "version"), "the openssl command is needed to make certificates");
    Path ca = directory.resolve("ca.crt");
    Path caKey = directory.resolve("ca.key");
    run(directory, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", caKey.toString(), "-out",
        ca.toString(), "-days", "2", "-subj", "/CN=gymlink test CA");
    signed(directory, "server", ca, caKey, "subjectAltName=" + serverNames + "\nextendedKeyUsage=serverAuth\n");
    signed(directory, "client", ca, caKey, "extendedKeyUsage=clientAuth\n");
    return new TestCertificates(ca, directory.resolve("server.crt"), directory.resolve("server.key"),
        directory.resolve("client.crt"), directory.resolve("client.key"));
  }

  private static void signed(Path directory, String name, Path ca, Path caKey, String extensions)
      throws IOException, InterruptedException {
    Path ext = Files.writeString(directory.resolve(name + ".ext"), extensions);
    Path key = directory.resolve(name + ".key");
    Path csr = directory.resolve(name + ".csr");
    run(directory, "req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(), "-out",
        csr.toString(), "-subj", "/CN=" + name);
    run(directory, "x509", "-req", "-in", csr.toString(), "-CA", ca.toString(), "-CAkey", caKey.toString(),
        "-CAcreateserial", "-out", directory.resolve(name + ".crt").toString(), "-days", "2", "-extfile",
        ext.toString());
  }

  private static void run(Path directory, String... args) throws IOException, InterruptedException {
    if (!openssl(directory, args)) {
      throw new IOException("openssl " + String.join(" ", args) + " failed");
    }
  }

  private static boolean openssl(Path directory, String... args) throws InterruptedException {
    List<String> command = new ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    try {
      Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      return process.waitFor() == 0;
    } catch (IOException e) {
      return false;
    }
  }
}
