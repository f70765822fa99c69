package io.gymlink.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gymlink.env.EnvException;
import io.gymlink.env.EnvServerException;
import io.gymlink.env.EnvServerUnavailableException;
import io.gymlink.env.EnvSpec;
import io.gymlink.env.InvalidArgumentException;
import io.gymlink.env.spaces.Space;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Makes {@link HttpGymEnv}s on one gym-http-api server ({@code http://host:port}); one shared keep-alive client.
 */
public final class HttpEnvFactory implements EnvFactory {

  private final GymHttpTransport transport;
  private final ClientConfig config;
  private final String target;

  private HttpEnvFactory(URI base, ClientConfig config, String token) {
    this.config = Objects.requireNonNull(config, "config");
    this.transport = new GymHttpTransport(base, config.callTimeout(), token);
    this.target = base.toString();
  }

  /**
   * A factory for the server at {@code target}.
   *
   * @param target {@code http://host:port}
   */
  public static HttpEnvFactory forTarget(EnvTarget target, ClientConfig config) {
    return forTarget(target, config, null);
  }

  /**
   * A factory for the server at {@code target} that sends {@code Authorization: Bearer token} with every request.
   *
   * @param token bearer token, or {@code null} for none
   */
  public static HttpEnvFactory forTarget(EnvTarget target, ClientConfig config, String token) {
    if (!target.scheme().equals("http")) {
      throw new IllegalArgumentException("HttpEnvFactory needs an http:// address, got " + target);
    }
    return new HttpEnvFactory(URI.create("http://" + target.authority()), config, token);
  }

  @Override
  public HttpGymEnv make(String envId, Map<String, Object> kwargs, Integer maxEpisodeSteps) {
    return make(envId, kwargs, maxEpisodeSteps, Map.of());
  }

  /**
   * Makes an environment; the gym-http-api protocol has no action repeat, so {@code actionRepeat} must be 1.
   *
   * @throws InvalidArgumentException if {@code actionRepeat} is not 1
   */
  @Override
  public HttpGymEnv make(String envId, Map<String, Object> kwargs, Integer maxEpisodeSteps, int actionRepeat) {
    if (actionRepeat != 1) {
      throw new InvalidArgumentException("actionRepeat " + actionRepeat + " needs a gRPC env server: the"
          + " gym-http-api protocol of " + target + " has no action repeat (use a host:port server or actionRepeat 1)");
    }
    return make(envId, kwargs, maxEpisodeSteps, Map.of());
  }

  /**
   * Makes an environment, sending {@code extraFields} in the create request too (e.g. a grader's {@code token} and
   * {@code version}).
   */
  public HttpGymEnv make(String envId, Map<String, Object> kwargs, Integer maxEpisodeSteps,
      Map<String, Object> extraFields) {
    ObjectNode body = transport.json().createObjectNode();
    body.put("env_id", Objects.requireNonNull(envId, "envId"));
    try {
      if (kwargs != null && !kwargs.isEmpty()) {
        body.set("kwargs", transport.json().valueToTree(kwargs));
      }
      extraFields.forEach((key, value) -> body.set(key, transport.json().valueToTree(value)));
    } catch (IllegalArgumentException e) {
      throw new InvalidArgumentException("kwargs for '" + envId + "' are not JSON-like values: "
          + e.getMessage(), e);
    }
    if (maxEpisodeSteps != null) {
      body.put("max_episode_steps", maxEpisodeSteps);
    }
    JsonNode created = transport.post("/v1/envs/", body, config.makeTimeout());
    if (created == null || !created.hasNonNull("instance_id")) {
      throw new EnvServerException("POST /v1/envs/ at " + target + " answered " + created
          + ", expected {\"instance_id\": ...}");
    }
    String instanceId = created.get("instance_id").asText();
    String route = "/v1/envs/" + GymHttpTransport.segment(instanceId) + "/";
    try {
      Space observationSpace = space(route + "observation_space/", envId);
      Space actionSpace = space(route + "action_space/", envId);
      return new HttpGymEnv(transport, config, instanceId, spec(route, envId), observationSpace, actionSpace);
    } catch (RuntimeException e) {
      try {
        transport.post(route + "close/", null, config.callTimeout());
      } catch (EnvException closeFailure) {
        e.addSuppressed(closeFailure);
      }
      throw e;
    }
  }

  /** Instance id to env id of every environment on the server ({@code GET /v1/envs/}). */
  public Map<String, String> listAll() {
    JsonNode answer = transport.get("/v1/envs/", config.callTimeout());
    Map<String, String> all = new java.util.LinkedHashMap<>();
    answer.path("all_envs").fields().forEachRemaining(e -> all.put(e.getKey(), e.getValue().asText()));
    return all;
  }

  @Override
  public String target() {
    return target;
  }

  @Override
  public void close() {
    transport.close();
  }

  private Space space(String path, String envId) {
    JsonNode answer = transport.get(path, config.callTimeout());
    JsonNode info = answer == null ? null : answer.get("info");
    if (info == null || !info.isObject()) {
      throw new EnvServerException("GET " + path + " for '" + envId + "' at " + target + " answered " + answer
          + ", expected {\"info\": {...}}");
    }
    return JsonSpaceCodec.space(info);
  }

  /** gymlink's {@code spec/} route; an older server has none, and then only the id is known. */
  private EnvSpec spec(String route, String envId) {
    JsonNode answer;
    try {
      answer = transport.get(route + "spec/", config.callTimeout());
    } catch (EnvServerUnavailableException e) {
      throw e;
    } catch (EnvException e) {
      return new EnvSpec(envId, null, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, List.of(), null);
    }
    JsonNode range = answer.path("reward_range");
    List<String> modes = new ArrayList<>();
    answer.path("render_modes").forEach(m -> modes.add(m.asText()));
    return new EnvSpec(
        answer.path("env_id").asText(envId),
        answer.hasNonNull("max_episode_steps") ? answer.get("max_episode_steps").asInt() : null,
        bound(range.get(0), Double.NEGATIVE_INFINITY),
        bound(range.get(1), Double.POSITIVE_INFINITY),
        modes,
        answer.hasNonNull("reward_threshold") ? answer.get("reward_threshold").asDouble() : null);
  }

  private static double bound(JsonNode node, double infinity) {
    if (node == null || node.isNull()) {
      return infinity;
    }
    double x = node.asDouble();
    return Math.abs(x) >= JsonSpaceCodec.JSON_INFINITY ? Math.copySign(Double.POSITIVE_INFINITY, x) : x;
  }
}
