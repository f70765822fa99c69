package io.gymlink.client;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gymlink.env.Env;
import io.gymlink.env.TooManyInstancesException;
import io.gymlink.env.spaces.BoxValue;
import io.gymlink.testing.PythonEnvServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A server started with {@code --max-instances 1} refuses a second instance until the first is closed. */
class GrpcEnvInstanceLimitTest {

  @RegisterExtension
  static final PythonEnvServer SERVER = PythonEnvServer.withArgs("--max-instances", "1");

  @Test
  void make_beyondMaxInstances_throwsTooManyInstances() {
    try (GrpcEnvFactory factory = SERVER.factory()) {
      try (Env first = factory.make("Pendulum-v1")) {
        TooManyInstancesException e = assertThrows(TooManyInstancesException.class,
            () -> factory.make("CartPole-v1"));
        assertTrue(e.getMessage().startsWith("cannot make 'CartPole-v1': the server holds 1 instances"),
            e.getMessage());
        first.reset(0);
        first.step(BoxValue.of(0f));
      }
      // close() waits for the server to free the instance, so its slot is free at once.
      try (Env second = factory.make("CartPole-v1")) {
        second.reset(0);
      }
    }
  }
}
