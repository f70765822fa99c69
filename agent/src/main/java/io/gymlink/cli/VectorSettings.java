package io.gymlink.cli;

import io.gymlink.client.ClientConfig;
import io.gymlink.vector.RemoteVectorConfig;
import java.time.Duration;
import java.util.Map;

/**
 * How a command's vector envs treat their servers (from the server options): deadlines, how long to wait for any
 * server, and session streams per server.
 *
 * @param client deadlines of every request
 * @param serverLostTimeout how long to keep retrying when no server at all can be reached
 * @param streamsPerServer session streams per server (see {@link RemoteVectorConfig#streamsPerServer})
 */
public record VectorSettings(ClientConfig client, Duration serverLostTimeout, int streamsPerServer) {

  /** The defaults of {@link RemoteVectorConfig}. */
  public static VectorSettings defaults() {
    return new VectorSettings(ClientConfig.defaults(), RemoteVectorConfig.DEFAULT_SERVER_LOST_TIMEOUT, 1);
  }

  /** The config of {@code numEnvs} instances of {@code envId} with these settings. */
  public RemoteVectorConfig configFor(String envId, int numEnvs, Integer maxEpisodeSteps, int actionRepeat) {
    return RemoteVectorConfig.of(envId, numEnvs).withMake(Map.of(), maxEpisodeSteps).withActionRepeat(actionRepeat)
        .withClient(client)
        .withFaults(serverLostTimeout, RemoteVectorConfig.DEFAULT_RETRY_INITIAL, RemoteVectorConfig.DEFAULT_RETRY_MAX)
        .withStreamsPerServer(streamsPerServer);
  }
}
