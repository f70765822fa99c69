package io.gymlink.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gymlink.client.ClientConfig;
import io.gymlink.client.EnvFactories;
import io.gymlink.client.EnvFactory;
import io.gymlink.client.GrpcEnvFactory;
import io.gymlink.env.Env;
import io.gymlink.env.StepResult;
import io.gymlink.env.spaces.BoxValue;
import io.gymlink.env.spaces.DiscreteSpace;
import io.gymlink.env.spaces.DiscreteValue;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/** The gym-http-api protocol served by the env-server image: raw routes and the Java HTTP {@link Env} client. */
@Tag("docker")
@Testcontainers(disabledWithoutDocker = true)
class HttpProtocolContainerIT {

  @Container
  static final EnvServerContainer SERVER = EnvServerContainer.withHttpAndTestEnvs();

  private static final ClientConfig CONFIG = ClientConfig.defaults().withCallTimeout(Duration.ofSeconds(20));
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void rawRoutes_createResetStepClose_speakGymHttpApi() throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    JsonNode created = post(http, "/v1/envs/", "{\"env_id\": \"CartPole-v1\"}");
    String instance = created.get("instance_id").asText();
    assertTrue(!instance.isEmpty(), created.toString());

    JsonNode all = get(http, "/v1/envs/");
    assertEquals("CartPole-v1", all.get("all_envs").get(instance).asText(), all.toString());
    JsonNode actionSpace = get(http, "/v1/envs/" + instance + "/action_space/");
    assertEquals("Discrete", actionSpace.get("info").get("name").asText(), actionSpace.toString());

    JsonNode reset = post(http, "/v1/envs/" + instance + "/reset/", "{}");
    assertEquals(4, reset.get("observation").size(), reset.toString());
    JsonNode step = post(http, "/v1/envs/" + instance + "/step/", "{\"action\": 1}");
    assertTrue(step.has("reward") && step.has("done") && step.has("observation"), step.toString());

    post(http, "/v1/envs/" + instance + "/close/", "{}");
    assertTrue(!get(http, "/v1/envs/").get("all_envs").has(instance), "closed instance is gone");
  }

  @Test
  void javaHttpClient_sameEnvOverBothTransports_sameTrajectory() {
    try (EnvFactory httpFactory = EnvFactories.forServer(SERVER.httpTarget(), CONFIG);
        GrpcEnvFactory grpcFactory = SERVER.factory(CONFIG);
        Env overHttp = httpFactory.make("Pendulum-v1");
        Env overGrpc = grpcFactory.make("Pendulum-v1")) {
      assertEquals(overGrpc.reset(9L).observation(), overHttp.reset(9L).observation());
      for (float torque : new float[] {0.5f, -1.0f, 2.0f}) {
        StepResult viaHttp = overHttp.step(BoxValue.of(torque));
        StepResult viaGrpc = overGrpc.step(BoxValue.of(torque));
        assertEquals(viaGrpc.observation(), viaHttp.observation(), "observation after torque " + torque);
        assertEquals(viaGrpc.reward(), viaHttp.reward(), 1e-6, "reward after torque " + torque);
      }
    }
  }

  @Test
  void javaHttpClient_discreteActionEnv_runsToEpisodeEnd() {
    Random random = new Random(2);
    try (EnvFactory factory = EnvFactories.forServer(SERVER.httpTarget(), CONFIG);
        Env env = factory.make("CartPole-v1")) {
      assertInstanceOf(DiscreteSpace.class, env.actionSpace());
      env.reset(4L);
      StepResult step;
      int steps = 0;
      do {
        step = env.step(new DiscreteValue(random.nextInt(2)));
        steps++;
      } while (!step.episodeOver() && steps < 600);
      assertTrue(step.episodeOver(), "random CartPole play ends; steps=" + steps);
    }
  }

  private static JsonNode get(HttpClient http, String path) throws Exception {
    return send(http, HttpRequest.newBuilder(URI.create(SERVER.httpTarget() + path)).GET());
  }

  private static JsonNode post(HttpClient http, String path, String body) throws Exception {
    return send(http, HttpRequest.newBuilder(URI.create(SERVER.httpTarget() + path))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  private static JsonNode send(HttpClient http, HttpRequest.Builder request) throws Exception {
    HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(20)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(2, response.statusCode() / 100, request.build().uri() + " answered " + response.statusCode() + " "
        + response.body());
    return response.body().isBlank() ? JSON.nullNode() : JSON.readTree(response.body());
  }
}
