package io.gymlink.vector;

/**
 * One env server a vector env talks to: an address and port, and the {@code --server} entry it came from.
 *
 * @param host a host name or an address literal (without brackets)
 * @param port TCP port
 * @param source the entry that named it, e.g. {@code dns:///envserver:50051} or {@code 10.0.0.7:50051}
 * @param name the host name the entry gave (the name a TLS certificate is checked against), e.g. {@code envserver}
 */
public record Endpoint(String host, int port, String source, String name) {

  /** An endpoint named by its own host (a {@code host:port} entry). */
  public Endpoint(String host, int port, String source) {
    this(host, port, source, host);
  }

  /** {@code host:port}, with brackets around an IPv6 literal: the form used in messages. */
  public String authority() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  @Override
  public String toString() {
    return authority();
  }
}
