package io.gymlink.vector;

import io.gymlink.client.ClientConfig;
import io.gymlink.client.EnvFactory;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * What a {@link RemoteVectorEnv} makes and how it treats its servers.
 *
 * @param envId the environment id every sub-environment is made from, e.g. {@code Pendulum-v1}
 * @param kwargs keyword arguments for {@code gymnasium.make}; empty for none
 * @param maxEpisodeSteps time limit overriding the registered one, or {@code null}
 * @param actionRepeat frames each step applies its action for on the server (1: none; see
 *     {@link io.gymlink.client.EnvFactory#make(String, Map, Integer, int)})
 * @param numEnvs N, the number of sub-environments, spread evenly over the servers
 * @param client deadlines of every request (a vector step waits at most {@code callTimeout} for a server)
 * @param serverLostTimeout how long the vector env keeps retrying when no server at all can be reached before it
 *     gives up with {@link io.gymlink.env.EnvServerUnavailableException} (default 5 min)
 * @param retryInitial first wait before retrying a lost server; doubles per failed retry (default 1 s)
 * @param retryMax longest wait between retries of a lost server (default 60 s)
 * @param reresolveInterval how often {@code dns:///} names are resolved again to find new servers (default 30 s)
 * @param streamsPerServer session streams per server (default 1): a server's envs are split over them, one batch per
 *     stream per vector step, so that with {@link VectorEnv#recv} a slow env holds up only the envs of its stream
 */
public record RemoteVectorConfig(String envId, Map<String, Object> kwargs, Integer maxEpisodeSteps, int actionRepeat,
    int numEnvs,
    ClientConfig client, Duration serverLostTimeout, Duration retryInitial, Duration retryMax,
    Duration reresolveInterval, int streamsPerServer) {

  /** Default of {@link #serverLostTimeout}. */
  public static final Duration DEFAULT_SERVER_LOST_TIMEOUT = Duration.ofMinutes(5);

  /** Default of {@link #retryInitial}. */
  public static final Duration DEFAULT_RETRY_INITIAL = Duration.ofSeconds(1);

  /** Default of {@link #retryMax}. */
  public static final Duration DEFAULT_RETRY_MAX = Duration.ofSeconds(60);

  /** Default of {@link #reresolveInterval}. */
  public static final Duration DEFAULT_RERESOLVE_INTERVAL = Duration.ofSeconds(30);

  public RemoteVectorConfig {
    Objects.requireNonNull(envId, "envId");
    kwargs = Map.copyOf(Objects.requireNonNull(kwargs, "kwargs"));
    Objects.requireNonNull(client, "client");
    if (numEnvs < 1) {
      throw new IllegalArgumentException("numEnvs must be at least 1, got " + numEnvs);
    }
    if (maxEpisodeSteps != null && maxEpisodeSteps < 1) {
      throw new IllegalArgumentException("maxEpisodeSteps must be at least 1 or null, got " + maxEpisodeSteps);
    }
    if (actionRepeat < 1 || actionRepeat > EnvFactory.MAX_ACTION_REPEAT) {
      throw new IllegalArgumentException("actionRepeat must be 1 to " + EnvFactory.MAX_ACTION_REPEAT + ", got "
          + actionRepeat);
    }
    positive(serverLostTimeout, "serverLostTimeout");
    positive(retryInitial, "retryInitial");
    positive(retryMax, "retryMax");
    positive(reresolveInterval, "reresolveInterval");
    if (streamsPerServer < 1) {
      throw new IllegalArgumentException("streamsPerServer must be at least 1, got " + streamsPerServer);
    }
    if (retryMax.compareTo(retryInitial) < 0) {
      throw new IllegalArgumentException("retryMax (" + retryMax + ") must not be below retryInitial ("
          + retryInitial + ")");
    }
  }

  /** N sub-environments of {@code envId} with the default deadlines and fault settings. */
  public static RemoteVectorConfig of(String envId, int numEnvs) {
    return new RemoteVectorConfig(envId, Map.of(), null, 1, numEnvs, ClientConfig.defaults(),
        DEFAULT_SERVER_LOST_TIMEOUT, DEFAULT_RETRY_INITIAL, DEFAULT_RETRY_MAX, DEFAULT_RERESOLVE_INTERVAL, 1);
  }

  /** This config with other make arguments. */
  public RemoteVectorConfig withMake(Map<String, Object> kwargs, Integer maxEpisodeSteps) {
    return new RemoteVectorConfig(envId, kwargs, maxEpisodeSteps, actionRepeat, numEnvs, client, serverLostTimeout,
        retryInitial, retryMax, reresolveInterval, streamsPerServer);
  }

  /** This config with each action applied {@code actionRepeat} times per step (1: no repeat). */
  public RemoteVectorConfig withActionRepeat(int actionRepeat) {
    return new RemoteVectorConfig(envId, kwargs, maxEpisodeSteps, actionRepeat, numEnvs, client, serverLostTimeout,
        retryInitial, retryMax, reresolveInterval, streamsPerServer);
  }

  /** This config with other deadlines. */
  public RemoteVectorConfig withClient(ClientConfig client) {
    return new RemoteVectorConfig(envId, kwargs, maxEpisodeSteps, actionRepeat, numEnvs, client, serverLostTimeout,
        retryInitial, retryMax, reresolveInterval, streamsPerServer);
  }

  /** This config with other fault settings. */
  public RemoteVectorConfig withFaults(Duration serverLostTimeout, Duration retryInitial, Duration retryMax) {
    return new RemoteVectorConfig(envId, kwargs, maxEpisodeSteps, actionRepeat, numEnvs, client, serverLostTimeout,
        retryInitial, retryMax, reresolveInterval, streamsPerServer);
  }

  /** This config with another re-resolution interval. */
  public RemoteVectorConfig withReresolveInterval(Duration interval) {
    return new RemoteVectorConfig(envId, kwargs, maxEpisodeSteps, actionRepeat, numEnvs, client, serverLostTimeout,
        retryInitial, retryMax, interval, streamsPerServer);
  }

  /** This config with {@code streams} session streams per server. */
  public RemoteVectorConfig withStreamsPerServer(int streams) {
    return new RemoteVectorConfig(envId, kwargs, maxEpisodeSteps, actionRepeat, numEnvs, client, serverLostTimeout,
        retryInitial, retryMax, reresolveInterval, streams);
  }

  private static void positive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException("RemoteVectorConfig." + name + " must be positive, got " + d);
    }
  }
}
