package io.gymlink.cli;

import io.gymlink.client.EnvFactory;
import io.gymlink.env.Env;
import io.gymlink.vector.ChannelFactory;
import io.gymlink.vector.HostResolver;
import io.gymlink.vector.RemoteVectorEnv;
import io.gymlink.vector.ServerTargets;
import io.gymlink.vector.SyncVectorEnv;
import io.gymlink.vector.VectorEnv;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The env servers a command uses: a factory for single environments (on the first server), the vector-env settings
 * for many (over all of them), and, when the command started one, the local env server behind both; closing stops
 * the factory and the local server.
 *
 * @param factory makes single environments (evaluation, rollout) on the first server
 * @param localServer the server this command started, or {@code null} for servers given with --server
 * @param targets every gRPC server for vector envs, or {@code null} for a gym-http-api server (no batched step)
 * @param vector deadlines, fault and stream settings of vector envs
 * @param channels opens the channels of vector envs (plaintext, or with the command's credentials)
 */
public record ServerConnection(EnvFactory factory, LocalEnvServer localServer, ServerTargets targets,
    VectorSettings vector, ChannelFactory channels) implements AutoCloseable {

  /** A connection to one server whose vector envs step its instances one by one (the gym-http-api transport). */
  public ServerConnection(EnvFactory factory, LocalEnvServer localServer) {
    this(factory, localServer, null, VectorSettings.defaults(), ChannelFactory.plaintext());
  }

  /** Where the environments live, for messages: {@code 127.0.0.1:PORT (local env server)} or the addresses. */
  public String describe() {
    String where = targets == null || targets.entries().size() == 1 && !targets.resolvesNames()
        ? factory.target() : targets.toString();
    return where + (localServer == null ? "" : " (local env server, pid " + localServer.pid() + ")");
  }

  /**
   * {@code numEnvs} instances of {@code envId} stepped together: a {@link RemoteVectorEnv} spread evenly over every
   * server (one batched request per server per step, faults survived), or for a gym-http-api server, which has no
   * batched step, a {@link SyncVectorEnv} over instances made one by one.
   *
   * @param maxEpisodeSteps time limit to impose, or null for the env's registered one
   * @param actionRepeat frames each step applies its action for on the server (1: none)
   */
  public VectorEnv makeVector(String envId, int numEnvs, Integer maxEpisodeSteps, int actionRepeat) {
    if (numEnvs < 1) {
      throw new IllegalArgumentException("a vector env needs at least 1 env, got numEnvs " + numEnvs);
    }
    if (targets == null) {
      return syncOverFactory(envId, numEnvs, maxEpisodeSteps, actionRepeat);
    }
    return RemoteVectorEnv.connect(targets, vector.configFor(envId, numEnvs, maxEpisodeSteps, actionRepeat),
        HostResolver.system(), channels);
  }

  private VectorEnv syncOverFactory(String envId, int numEnvs, Integer maxEpisodeSteps, int actionRepeat) {
    List<Env> envs = new ArrayList<>(numEnvs);
    try {
      for (int i = 0; i < numEnvs; i++) {
        envs.add(factory.make(envId, Map.of(), maxEpisodeSteps, actionRepeat));
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
