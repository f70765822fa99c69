package io.gymlink.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.gymlink.env.Env;
import io.gymlink.env.InstanceNotFoundException;
import io.gymlink.env.StepResult;
import io.gymlink.env.spaces.BoxSpace;
import io.gymlink.env.spaces.DiscreteValue;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link HttpGymEnv} against a server that answers exactly like upstream gym-http-api on old gym (no terminated /
 * truncated, no spec route, no error types, Box without dtype): a fixed script, since no such server runs on today's
 * Python. Every other HTTP test talks to the real gymlink server.
 */
class HttpGymEnvUpstreamServerTest {

  private static HttpServer server;
  private static final AtomicInteger STEPS = new AtomicInteger();

  @BeforeAll
  static void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", HttpGymEnvUpstreamServerTest::answer);
    server.start();
  }

  @AfterAll
  static void stop() {
    server.stop(0);
  }

  private static void answer(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    String request = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    int status = 200;
    String body;
    if (path.equals("/v1/envs/")) {
      body = "{\"instance_id\": \"" + (request.contains("Gone-v0") ? "gone" : "3c657dbc") + "\"}";
    } else if (path.startsWith("/v1/envs/gone/")) {
      status = 400;
      body = "{\"message\": \"Instance_id gone unknown\"}";
    } else if (path.endsWith("/observation_space/")) {
      body = "{\"info\": {\"name\": \"Box\", \"shape\": [2], \"low\": [-1e100, -1e100], \"high\": [1e100, 1e100]}}";
    } else if (path.endsWith("/action_space/")) {
      body = "{\"info\": {\"name\": \"Discrete\", \"n\": 2}}";
    } else if (path.endsWith("/reset/")) {
      STEPS.set(0);
      body = "{\"observation\": [0.5, -0.5]}";
    } else if (path.endsWith("/step/")) {
      int step = STEPS.incrementAndGet();
      String info = step == 3 ? "{\"TimeLimit.truncated\": true}" : "{}";
      body = "{\"observation\": [1.0, 2.0], \"reward\": 1.0, \"done\": " + (step >= 2) + ", \"info\": " + info + "}";
    } else if (path.endsWith("/close/")) {
      status = 204;
      body = "";
    } else {
      status = 404;
      body = "<html>404 Not Found</html>";
    }
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", status == 404 ? "text/html" : "application/json");
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  private static EnvFactory factory() {
    return EnvFactories.forServer("http://127.0.0.1:" + server.getAddress().getPort(), ClientConfig.defaults());
  }

  @Test
  void oldServer_spacesDoneAndMissingSpec_areAdapted() {
    try (EnvFactory factory = factory(); Env env = factory.make("CartPole-v0")) {
      BoxSpace box = assertInstanceOf(BoxSpace.class, env.observationSpace());
      assertTrue(Double.isInfinite(box.low()[0]) && Double.isInfinite(box.high()[1]));
      assertEquals("CartPole-v0", env.spec().envId());
      assertNull(env.spec().maxEpisodeSteps(), "no spec route: the time limit is unknown");
      env.reset();
      StepResult first = env.step(new DiscreteValue(1));
      assertFalse(first.terminated() || first.truncated());
      StepResult second = env.step(new DiscreteValue(1));
      assertTrue(second.terminated(), "done without TimeLimit.truncated is a terminal state");
      StepResult third = env.step(new DiscreteValue(0));
      assertTrue(third.truncated() && !third.terminated(), "old gym marks time limits in the info");
    }
  }

  @Test
  void oldServer_unknownInstanceMessage_isInstanceNotFound() {
    try (EnvFactory factory = factory()) {
      InstanceNotFoundException e = assertThrows(InstanceNotFoundException.class, () -> factory.make("Gone-v0"));
      assertEquals("Instance_id gone unknown", e.getMessage());
    }
  }
}
