package io.gymlink.cli;

import io.gymlink.client.EnvFactory;

/**
 * An env factory and, when the command started one, the local env server behind it; closing stops both.
 *
 * @param factory makes environments on the server
 * @param localServer the server this command started, or {@code null} for a server given with --server
 */
public record ServerConnection(EnvFactory factory, LocalEnvServer localServer) implements AutoCloseable {

  /** Where the environments live, for messages: {@code 127.0.0.1:PORT (local env server)} or the address. */
  public String describe() {
    return factory.target() + (localServer == null ? "" : " (local env server, pid " + localServer.pid() + ")");
  }

  @Override
  public void close() {
    try {
      factory.close();
    } finally {
      if (localServer != null) {
        localServer.close();
      }
    }
  }
}
