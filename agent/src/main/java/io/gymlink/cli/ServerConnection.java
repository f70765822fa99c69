package io.gymlink.cli;

import io.gymlink.client.EnvFactory;
import io.gymlink.env.Env;
import io.gymlink.vector.SyncVectorEnv;
import io.gymlink.vector.VectorEnv;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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

  /**
   * {@code numEnvs} instances of {@code envId} stepped together as one vector env, which closes them when closed.
   * Today a {@link SyncVectorEnv} over instances made one by one on this connection's server(s); a remote vector
   * env that batches and overlaps the round trips takes its place behind this method.
   *
   * @param maxEpisodeSteps time limit to impose, or null for the env's registered one
   */
  public VectorEnv makeVector(String envId, int numEnvs, Integer maxEpisodeSteps) {
    if (numEnvs < 1) {
      throw new IllegalArgumentException("a vector env needs at least 1 env, got numEnvs " + numEnvs);
    }
    List<Env> envs = new ArrayList<>(numEnvs);
    try {
      for (int i = 0; i < numEnvs; i++) {
        envs.add(factory.make(envId, Map.of(), maxEpisodeSteps));
      }
      return new SyncVectorEnv(envs);
    } catch (RuntimeException e) {
      for (Env env : envs) {
        try {
          env.close();
        } catch (RuntimeException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw e;
    }
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
