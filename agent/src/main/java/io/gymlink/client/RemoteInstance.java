package io.gymlink.client;

import io.gymlink.env.EnvServerException;
import io.gymlink.env.EnvSpec;
import io.gymlink.env.InvalidActionException;
import io.gymlink.env.InvalidArgumentException;
import io.gymlink.env.ResetResult;
import io.gymlink.env.StepResult;
import io.gymlink.env.spaces.Space;
import io.gymlink.env.spaces.SpaceValue;
import io.gymlink.proto.v1.JsonMap;
import io.gymlink.proto.v1.MakeRequest;
import io.gymlink.proto.v1.MakeResponse;
import io.gymlink.proto.v1.ResetResponse;
import io.gymlink.proto.v1.StepResponse;
import io.gymlink.proto.v1.Value;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * One environment instance on a server as the gRPC clients see it: its spaces and spec, action checks and the
 * decoding of answers, with messages naming the environment.
 *
 * @param target the server address, {@code host:port}
 * @param envId the environment id the instance was made from
 * @param instanceId the server's id for the instance
 * @param observationSpace the space observations belong to
 * @param actionSpace the space actions must belong to
 * @param spec the server's spec of the environment
 */
public record RemoteInstance(
    String target, String envId, String instanceId, Space observationSpace, Space actionSpace, EnvSpec spec) {

  /** A make request without action repeat, with kwargs checked to be JSON-like. */
  static MakeRequest makeRequest(String envId, Map<String, Object> kwargs, Integer maxEpisodeSteps) {
    return makeRequest(envId, kwargs, maxEpisodeSteps, 1);
  }

  /** A make request, with kwargs checked to be JSON-like and the time limit and action repeat in range. */
  static MakeRequest makeRequest(String envId, Map<String, Object> kwargs, Integer maxEpisodeSteps,
      int actionRepeat) {
    Objects.requireNonNull(envId, "envId");
    MakeRequest.Builder request = MakeRequest.newBuilder().setEnvId(envId).setKwargs(json(kwargs, envId, "kwargs"));
    if (actionRepeat < 1 || actionRepeat > EnvFactory.MAX_ACTION_REPEAT) {
      throw new InvalidArgumentException("action_repeat for '" + envId + "' is " + actionRepeat + ", expected 1 to "
          + EnvFactory.MAX_ACTION_REPEAT);
    }
    if (actionRepeat > 1) {
      request.setActionRepeat(actionRepeat);
    }
    if (maxEpisodeSteps != null) {
      if (maxEpisodeSteps < 1) {
        throw new InvalidArgumentException("max_episode_steps for '" + envId + "' is " + maxEpisodeSteps
            + ", expected at least 1");
      }
      request.setMaxEpisodeSteps(maxEpisodeSteps);
    }
    return request.build();
  }

  /**
   * The instance described by the answer to {@code request}.
   *
   * @throws EnvServerException if the server did not apply the action repeat asked for (a server older than it)
   */
  static RemoteInstance of(String target, MakeRequest request, MakeResponse response) {
    String envId = request.getEnvId();
    int repeat = request.hasActionRepeat() ? request.getActionRepeat() : 1;
    if (repeat > 1 && response.getActionRepeat() != repeat) {
      throw new EnvServerException("env server at " + target + " made '" + envId + "' with action_repeat "
          + response.getActionRepeat() + ", asked for " + repeat + ": the server predates action repeat; update"
          + " gymlink-envserver there");
    }
    try {
      return new RemoteInstance(target, envId, response.getInstanceId(),
          ProtoCodec.decodeSpace(response.getObservationSpace()), ProtoCodec.decodeSpace(response.getActionSpace()),
          response.hasSpec() ? ProtoCodec.decodeSpec(response.getSpec()) : new EnvSpec(envId, null,
              Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, null, null));
    } catch (IllegalArgumentException e) {
      throw new EnvServerException("env server at " + target + " described the spaces of '" + envId
          + "' in a way this client cannot read: " + e.getMessage(), e);
    }
  }

  /** Reset options as a protocol map, or an {@link InvalidArgumentException} naming the environment. */
  static JsonMap json(Map<String, Object> map, String envId, String what) {
    try {
      return ProtoCodec.encodeJson(map == null ? Map.of() : map);
    } catch (IllegalArgumentException e) {
      throw new InvalidArgumentException(what + " for '" + envId + "': " + e.getMessage(), e);
    }
  }

  /** The action on the wire, after checking it is in the action space (the same messages as the server). */
  public Value encodeAction(SpaceValue action) {
    String problem = actionSpace.check(action);
    if (problem != null) {
      throw new InvalidActionException("action for '" + envId + "' " + problem);
    }
    return ProtoCodec.encodeValue(actionSpace, action);
  }

  /** The first observation and info of a reset answer. */
  public ResetResult decodeReset(ResetResponse response) {
    return new ResetResult(observation(response.getObservation()), ProtoCodec.decodeJson(response.getInfo()));
  }

  /** A step answer as a {@link StepResult} (the true final observation when the episode ended). */
  public StepResult decodeStep(StepResponse response) {
    return new StepResult(observation(response.getObservation()), response.getReward(), response.getTerminated(),
        response.getTruncated(), ProtoCodec.decodeJson(response.getInfo()));
  }

  CallContext context(String operation, Duration timeout) {
    return new CallContext(target, operation, envId, instanceId, timeout);
  }

  /** An observation from the wire, checked to fit the observation space. */
  public SpaceValue observation(Value value) {
    try {
      return ProtoCodec.decodeValue(observationSpace, value);
    } catch (IllegalArgumentException e) {
      throw new EnvServerException("env server at " + target + " sent an observation for '" + envId
          + "' (instance " + instanceId + ") that does not fit its observation space: " + e.getMessage(), e);
    }
  }
}
