package io.gymlink.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gymlink.env.Env;
import io.gymlink.env.EnvServerException;
import io.gymlink.env.InvalidArgumentException;
import io.gymlink.env.StepResult;
import io.gymlink.env.spaces.BoxValue;
import io.gymlink.testing.InMemoryEnvServer;
import io.gymlink.testing.PythonEnvServer;
import io.gymlink.vector.RemoteVectorConfig;
import io.gymlink.vector.RemoteVectorEnv;
import io.gymlink.vector.ServerTargets;
import io.gymlink.vector.VectorStepResult;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Action repeat made through the real Python env server: K frames per step, single envs and the vector env. */
class GrpcEnvActionRepeatTest {

  @RegisterExtension
  static final PythonEnvServer SERVER = PythonEnvServer.create();

  private static BoxValue torque(int t) {
    return BoxValue.of((float) Math.sin(0.4 * t));
  }

  @Test
  void pendulum_repeat4_truncatesAfter50Steps_withTheRewardsOfFourSingleFrames() {
    GrpcEnvFactory factory = SERVER.sharedFactory();
    try (Env repeated = factory.make("Pendulum-v1", Map.of(), 200, 4);
        Env single = factory.make("Pendulum-v1", Map.of(), 200)) {
      repeated.reset(7L, Map.of());
      single.reset(7L, Map.of());
      int steps = 0;
      StepResult step;
      do {
        step = repeated.step(torque(steps));
        double frames = 0;
        StepResult frame = null;
        for (int k = 0; k < 4; k++) {
          frame = single.step(torque(steps));
          frames += frame.reward();
        }
        steps++;
        assertEquals(frames, step.reward(), 1e-9, "step " + steps);
        assertArrayEquals(((BoxValue) frame.observation()).data(), ((BoxValue) step.observation()).data());
      } while (!step.episodeOver());
      assertEquals(50, steps, "200 frames at 4 per step");
      assertTrue(step.truncated());
      assertFalse(step.terminated());
    }
  }

  @Test
  void vectorEnv_repeat4_truncatesEveryEnvAfter5Steps() {
    RemoteVectorConfig config = RemoteVectorConfig.of("Pendulum-v1", 2).withMake(Map.of(), 20).withActionRepeat(4);
    try (RemoteVectorEnv env = RemoteVectorEnv.connect(ServerTargets.parse(SERVER.target()), config)) {
      env.reset(0L);
      BoxValue actions = new BoxValue(new float[] {0.5f, -0.5f}, new int[] {2, 1});
      for (int t = 1; t <= 5; t++) {
        VectorStepResult result = env.step(actions);
        boolean[] expected = {t == 5, t == 5};
        assertArrayEquals(expected, result.truncated(), "step " + t + " of 20 frames at 4 per step");
      }
    }
  }

  @Test
  void make_repeatOutOfRange_isRefusedNamingTheField() {
    GrpcEnvFactory factory = SERVER.sharedFactory();
    var low = assertThrows(InvalidArgumentException.class, () -> factory.make("Pendulum-v1", Map.of(), null, 0));
    assertEquals("action_repeat for 'Pendulum-v1' is 0, expected 1 to 1000", low.getMessage());
    var high = assertThrows(InvalidArgumentException.class,
        () -> factory.make("Pendulum-v1", Map.of(), null, 1001));
    assertEquals("action_repeat for 'Pendulum-v1' is 1001, expected 1 to 1000", high.getMessage());
  }

  @Test
  void make_onAServerThatIgnoresTheRepeat_failsInsteadOfTrainingWithoutIt() {
    try (InMemoryEnvServer old = InMemoryEnvServer.start("no-repeat-" + System.nanoTime());
        GrpcEnvFactory factory = new GrpcEnvFactory(old.channel(), old.address(), ClientConfig.defaults())) {
      var e = assertThrows(EnvServerException.class,
          () -> factory.make(InMemoryEnvServer.ENV_ID, Map.of(), null, 2));
      assertTrue(e.getMessage().contains("with action_repeat 0, asked for 2: the server predates action repeat"),
          e.getMessage());
    }
  }

  @Test
  void httpFactory_refusesARepeat_namingTheOption() {
    try (HttpEnvFactory factory = HttpEnvFactory.forTarget(EnvTarget.parse("http://127.0.0.1:9"),
        ClientConfig.defaults())) {
      var e = assertThrows(InvalidArgumentException.class, () -> factory.make("Pendulum-v1", Map.of(), null, 2));
      assertEquals("actionRepeat 2 needs a gRPC env server: the gym-http-api protocol of http://127.0.0.1:9 has no"
          + " action repeat (use a host:port server or actionRepeat 1)", e.getMessage());
    }
  }
}
