package io.gymlink.client;

import io.gymlink.env.InvalidArgumentException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * How a client proves who it is to an env server and checks who the server is: TLS (with an optional CA to trust
 * and an optional client certificate for mutual TLS) and a bearer token sent as {@code authorization: Bearer T}.
 *
 * <p>{@link #plaintext()} is the loopback default. {@link GrpcChannels} turns a target and this into a channel; the
 * gym-http-api transport sends the token as an HTTP header.
 *
 * @param tls whether to speak TLS (implied by any certificate)
 * @param caCert PEM CA bundle to trust instead of the JDK's, or {@code null}
 * @param clientCert PEM client certificate chain for mutual TLS, or {@code null}
 * @param clientKey PEM (PKCS#8) private key of {@code clientCert}, or {@code null}
 * @param token bearer token, or {@code null} to send none
 */
public record ClientSecurity(boolean tls, Path caCert, Path clientCert, Path clientKey, String token) {

  /** The environment variable holding a token when no token file is given. */
  public static final String TOKEN_VARIABLE = "GYMLINK_TOKEN";

  public ClientSecurity {
    if ((clientCert == null) != (clientKey == null)) {
      throw new InvalidArgumentException("a client certificate needs its key and the key its certificate, got "
          + "certificate " + clientCert + " and key " + clientKey);
    }
    if (!tls && (caCert != null || clientCert != null)) {
      throw new InvalidArgumentException("a CA or client certificate was given without TLS");
    }
    if (token != null && (token.isBlank() || token.chars().anyMatch(c -> c < 0x21 || c > 0x7e))) {
      throw new InvalidArgumentException("the bearer token is empty or holds spaces or control characters");
    }
  }

  /** No TLS, no token: for a server on loopback. */
  public static ClientSecurity plaintext() {
    return new ClientSecurity(false, null, null, null, null);
  }

  /** This, sending {@code token} (may be {@code null}). */
  public ClientSecurity withToken(String token) {
    return new ClientSecurity(tls, caCert, clientCert, clientKey, token);
  }

  /**
   * The token for a command: the first field of the first line of {@code tokenFile} that is neither empty nor a
   * {@code #} comment (so a server's {@code TOKEN NAME} line works too), else {@value #TOKEN_VARIABLE} from
   * {@code environment}, else {@code null}.
   *
   * @throws InvalidArgumentException naming the file when it cannot be read or holds no token
   */
  public static String readToken(Path tokenFile, Map<String, String> environment) {
    if (tokenFile == null) {
      String value = environment.get(TOKEN_VARIABLE);
      return value == null || value.isBlank() ? null : value.trim();
    }
    try {
      for (String line : Files.readAllLines(tokenFile, StandardCharsets.UTF_8)) {
        String content = line.split("#", 2)[0].trim();
        if (!content.isEmpty()) {
          return content.split("\\s+")[0];
        }
      }
    } catch (IOException e) {
      throw new InvalidArgumentException("cannot read the token file " + tokenFile + ": " + e.getMessage(), e);
    }
    throw new InvalidArgumentException("the token file " + tokenFile + " holds no token");
  }

  /** Whether anything beyond plaintext is configured. */
  public boolean isPlaintext() {
    return !tls && token == null;
  }

  @Override
  public String toString() {
    return "ClientSecurity[tls=" + tls + ", caCert=" + caCert + ", clientCert=" + clientCert + ", token="
        + (token == null ? "none" : "***") + "]";
  }
}
