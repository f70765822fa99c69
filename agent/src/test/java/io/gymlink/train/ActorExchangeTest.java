package io.gymlink.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.gymlink.buffer.Batch;
import io.gymlink.td3.Td3;
import io.gymlink.td3.Td3Config;
import io.gymlink.testing.InMemoryEnv;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The hand-off of the learner's actor to the collector thread. */
class ActorExchangeTest {

  private static final float[] OBSERVATIONS = {0.3f, -0.7f, 0.1f, -2f, 1.5f, 0.9f};

  private static float[] actions(ActionSampler.Actor actor) {
    float[] out = new float[2];
    actor.predict(OBSERVATIONS, 2, out);
    return out;
  }

  private static void trainOnce(Td3 learner, Random random) {
    Batch batch = Batch.allocate(8, 3, 1);
    for (float[] array : List.of(batch.observations(), batch.actions(), batch.rewards(), batch.nextObservations())) {
      for (int i = 0; i < array.length; i++) {
        array[i] = random.nextFloat() * 2 - 1;
      }
    }
    learner.train(batch);
  }

  @Test
  void collectorSeesAPublishedActor_onlyAfterTakingIt_andAtMostOneCopyWaits() {
    Td3Config td3 = ConfigResolver.withBundledPresets("ddpg").resolve("InMemory-v0", null,
        Map.of("netArch", List.of(8, 8), "batchSize", 8)).config().td3();
    Td3 learner = new Td3(3, InMemoryEnv.ACTION_SPACE, td3, new Random(1));
    Random random = new Random(2);
    ActorExchange exchange = new ActorExchange(learner);
    float[] initial = actions(learner::predict);
    assertArrayEquals(initial, actions(exchange.latest()::predict));

    trainOnce(learner, random);
    float[] afterOne = actions(learner::predict);
    assertFalse(Arrays.equals(initial, afterOne), "a gradient step moved the actor");
    assertArrayEquals(initial, actions(exchange.latest()::predict), "nothing published yet");

    exchange.publish(learner);
    trainOnce(learner, random);
    exchange.publish(learner); // skipped: the collector has not taken the first copy yet
    assertFalse(Arrays.equals(afterOne, actions(learner::predict)));
    assertArrayEquals(afterOne, actions(exchange.latest()::predict), "the copy published after one step");

    exchange.publish(learner);
    assertArrayEquals(actions(learner::predict), actions(exchange.latest()::predict));
  }
}
