package io.gymlink.client;

import io.gymlink.env.InvalidArgumentException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The address of an env server: a transport scheme, a host and a port.
 *
 * <p>Accepted forms: {@code host:port} and {@code grpc://host:port} (gRPC), {@code http://host:port} (the
 * gym-http-api protocol). IPv6 hosts go in brackets: {@code [::1]:50051}.
 *
 * @param scheme {@code grpc} or {@code http}
 * @param host host name or address, without brackets
 * @param port TCP port, 1-65535
 */
public record EnvTarget(String scheme, String host, int port) {

  private static final Pattern FORM =
      Pattern.compile("^(?:([A-Za-z][A-Za-z0-9+.-]*)://)?(\\[[0-9A-Fa-f:.]+\\]|[^:/\\[\\]\\s]+):([0-9]{1,5})/?$");

  public EnvTarget {
    if (!scheme.equals("grpc") && !scheme.equals("http")) {
      throw new IllegalArgumentException("scheme must be grpc or http, got " + scheme);
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be in 1..65535, got " + port);
    }
  }

  /**
   * Parses a server address.
   *
   * @throws InvalidArgumentException naming the text and the accepted forms when it is not one of them
   */
  public static EnvTarget parse(String text) {
    String trimmed = text == null ? "" : text.trim();
    Matcher m = FORM.matcher(trimmed);
    if (!m.matches()) {
      throw new InvalidArgumentException(
          "env server address '" + text + "' is not host:port, grpc://host:port or http://host:port");
    }
    String scheme = m.group(1) == null ? "grpc" : m.group(1).toLowerCase(Locale.ROOT);
    if (!scheme.equals("grpc") && !scheme.equals("http")) {
      throw new InvalidArgumentException(
          "env server address '" + text + "' has scheme '" + m.group(1) + "', expected grpc:// or http://");
    }
    int port = Integer.parseInt(m.group(3));
    if (port < 1 || port > 65535) {
      throw new InvalidArgumentException("env server address '" + text + "' has port " + port
          + ", expected 1..65535");
    }
    String host = m.group(2);
    if (host.startsWith("[")) {
      host = host.substring(1, host.length() - 1);
    }
    return new EnvTarget(scheme, host, port);
  }

  /** {@code host:port}, the form used in messages. */
  public String authority() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  @Override
  public String toString() {
    return scheme.equals("grpc") ? authority() : scheme + "://" + authority();
  }
}
