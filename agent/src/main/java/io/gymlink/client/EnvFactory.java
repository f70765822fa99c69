package io.gymlink.client;

import io.gymlink.env.Env;
import java.util.Map;

/**
 * Makes environments on one env server; closing it frees the connection (environments made by it must be closed
 * first or are closed with it).
 */
public interface EnvFactory extends AutoCloseable {

  /** Largest action repeat an env server applies (the protocol's bound on the frames one step may cost). */
  int MAX_ACTION_REPEAT = 1000;

  /**
   * Makes an environment, like {@code gymnasium.make}.
   *
   * @param envId registered id, e.g. {@code Pendulum-v1}
   * @param kwargs keyword arguments for {@code gymnasium.make} (JSON-like values); empty for none
   * @param maxEpisodeSteps time limit overriding the registered one, or {@code null} to keep it
   * @throws io.gymlink.env.UnknownEnvironmentException if the server does not offer the id
   * @throws io.gymlink.env.EnvServerUnavailableException if the server cannot be reached
   */
  default Env make(String envId, Map<String, Object> kwargs, Integer maxEpisodeSteps) {
    return make(envId, kwargs, maxEpisodeSteps, 1);
  }

  /**
   * Makes an environment whose every step applies its action {@code actionRepeat} times on the server (frame skip):
   * rewards summed, stopping at the frame that ends the episode, observation and info of the last frame. The time
   * limit counts frames, so Pendulum-v1 (200) with repeat 4 truncates after 50 steps.
   *
   * @param actionRepeat frames per step, 1 (no repeat) to {@link #MAX_ACTION_REPEAT}
   * @throws io.gymlink.env.InvalidArgumentException if the repeat is out of range or the server cannot repeat
   */
  Env make(String envId, Map<String, Object> kwargs, Integer maxEpisodeSteps, int actionRepeat);

  /** Makes an environment with its registered defaults. */
  default Env make(String envId) {
    return make(envId, Map.of(), null);
  }

  /** The server address, for messages, e.g. {@code 127.0.0.1:50051}. */
  String target();

  /** Frees the connection. Idempotent; never throws for a server that is already gone. */
  @Override
  void close();
}
