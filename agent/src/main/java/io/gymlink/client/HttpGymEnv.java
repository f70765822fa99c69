package io.gymlink.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gymlink.env.Env;
import io.gymlink.env.EnvException;
import io.gymlink.env.EnvServerException;
import io.gymlink.env.EnvServerUnavailableException;
import io.gymlink.env.EnvSpec;
import io.gymlink.env.InstanceNotFoundException;
import io.gymlink.env.InvalidActionException;
import io.gymlink.env.ResetResult;
import io.gymlink.env.StepResult;
import io.gymlink.env.spaces.Space;
import io.gymlink.env.spaces.SpaceValue;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An {@link Env} served over the gym-http-api protocol (openai/gym-http-api routes, JSON over HTTP).
 *
 * <p>Works with any gym-http-api server. With gymlink's server it also gets Gymnasium's {@code terminated} and
 * {@code truncated}, reset seeds and info, and every space kind; with an older server {@code done} becomes
 * {@code terminated}, unless the info says {@code "TimeLimit.truncated"}. Actions are checked against the action
 * space before they are sent. Not thread-safe, like every {@link Env}.
 */
public final class HttpGymEnv implements Env {

  private final GymHttpTransport transport;
  private final ClientConfig config;
  private final String instanceId;
  private final String route;
  private final EnvSpec spec;
  private final Space observationSpace;
  private final Space actionSpace;
  private boolean closed;

  HttpGymEnv(GymHttpTransport transport, ClientConfig config, String instanceId, EnvSpec spec,
      Space observationSpace, Space actionSpace) {
    this.transport = Objects.requireNonNull(transport, "transport");
    this.config = Objects.requireNonNull(config, "config");
    this.instanceId = Objects.requireNonNull(instanceId, "instanceId");
    this.route = "/v1/envs/" + GymHttpTransport.segment(instanceId) + "/";
    this.spec = Objects.requireNonNull(spec, "spec");
    this.observationSpace = Objects.requireNonNull(observationSpace, "observationSpace");
    this.actionSpace = Objects.requireNonNull(actionSpace, "actionSpace");
  }

  /** The server's id of this environment instance. */
  public String instanceId() {
    return instanceId;
  }

  /**
   * {@inheritDoc}
   *
   * @throws NoMoreEpisodesException when a grader answers with a {@code null} observation: all its seeds are done
   */
  @Override
  public ResetResult reset(Long seed, Map<String, Object> options) {
    ensureOpen();
    ObjectNode body = null;
    if (seed != null || (options != null && !options.isEmpty())) {
      body = transport.json().createObjectNode();
      if (seed != null) {
        body.put("seed", seed);
      }
      if (options != null && !options.isEmpty()) {
        body.set("options", transport.json().valueToTree(options));
      }
    }
    JsonNode answer = require(transport.post(route + "reset/", body, config.callTimeout()), "reset/");
    JsonNode observation = answer.get("observation");
    if (observation == null || observation.isNull()) {
      throw new NoMoreEpisodesException("the server at " + transport.server() + " has no more episodes for '"
          + spec.envId() + "' (instance " + instanceId + "): reset answered a null observation");
    }
    return new ResetResult(observation(observation, "reset"), info(answer.get("info")));
  }

  @Override
  public StepResult step(SpaceValue action) {
    ensureOpen();
    String problem = actionSpace.check(action);
    if (problem != null) {
      throw new InvalidActionException("action for '" + spec.envId() + "' " + problem);
    }
    ObjectNode body = transport.json().createObjectNode();
    body.set("action", JsonSpaceCodec.toJson(actionSpace, action));
    body.put("render", false);
    JsonNode answer = require(transport.post(route + "step/", body, config.callTimeout()), "step/");
    Map<String, Object> info = info(answer.get("info"));
    boolean done = answer.path("done").asBoolean(false);
    boolean terminated;
    boolean truncated;
    if (answer.has("terminated") || answer.has("truncated")) {
      terminated = answer.path("terminated").asBoolean(false);
      truncated = answer.path("truncated").asBoolean(false);
    } else {
      // An old-gym server folds the time limit into done; its TimeLimit wrapper says so in the info.
      truncated = done && Boolean.TRUE.equals(info.get("TimeLimit.truncated"));
      terminated = done && !truncated;
    }
    double reward = answer.path("reward").asDouble(Double.NaN);
    return new StepResult(observation(answer.get("observation"), "step"), reward, terminated, truncated, info);
  }

  @Override
  public Space observationSpace() {
    return observationSpace;
  }

  @Override
  public Space actionSpace() {
    return actionSpace;
  }

  @Override
  public EnvSpec spec() {
    return spec;
  }

  /**
   * Sends an arbitrary POST to this instance's route (e.g. {@code monitor/start/}), for protocol extensions.
   *
   * @param subRoute path below {@code /v1/envs/{id}/}, e.g. {@code monitor/close/}
   * @return the parsed answer, or {@code null} for 204
   */
  public JsonNode post(String subRoute, Object body) {
    ensureOpen();
    return transport.post(route + subRoute, body, config.callTimeout());
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      transport.post(route + "close/", null, config.callTimeout());
    } catch (InstanceNotFoundException | EnvServerUnavailableException e) {
      // Already gone (expired, or the server stopped): nothing is left to free.
    }
  }

  private SpaceValue observation(JsonNode json, String call) {
    if (json == null) {
      throw new EnvServerException(call + " of '" + spec.envId() + "' at " + transport.server()
          + " answered without an observation");
    }
    try {
      return JsonSpaceCodec.fromJson(observationSpace, json);
    } catch (IllegalArgumentException e) {
      throw new EnvServerException("observation from " + call + " of '" + spec.envId() + "' " + e.getMessage()
          + " for " + observationSpace, e);
    }
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> info(JsonNode json) {
    if (json == null || json.isNull()) {
      return Map.of();
    }
    if (!json.isObject()) {
      Map<String, Object> wrapped = new LinkedHashMap<>();
      wrapped.put("info", transport.json().convertValue(json, Object.class));
      return wrapped;
    }
    return transport.json().convertValue(json, LinkedHashMap.class);
  }

  private JsonNode require(JsonNode answer, String call) {
    if (answer == null || !answer.isObject()) {
      throw new EnvServerException(call + " of '" + spec.envId() + "' at " + transport.server()
          + " answered " + answer + ", expected a JSON object");
    }
    return answer;
  }

  private void ensureOpen() {
    if (closed) {
      throw new InstanceNotFoundException("environment '" + spec.envId() + "' (instance " + instanceId + ") at "
          + transport.server() + " is closed");
    }
  }

  /** Thrown by {@link #reset} when a grader has run all its evaluation episodes (a {@code null} observation). */
  public static final class NoMoreEpisodesException extends EnvException {

    public NoMoreEpisodesException(String message) {
      super(message);
    }
  }
}
