package io.gymlink.train;

import io.gymlink.td3.ActorSnapshot;
import io.gymlink.td3.Td3;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Hands the learner's latest actor to the asynchronous collector without either waiting for the other: a triple
 * buffer of {@link ActorSnapshot}s. The learner refreshes its back copy between two gradient steps and swaps it
 * into the middle; the collector swaps a fresh middle copy out for its front one before it predicts. Each copy
 * belongs to one thread at a time and changes hands through one atomic swap.
 *
 * <p>The learner skips the copy while the collector has not taken the last one, so the collector acts with an actor
 * at most the gradient steps of one of its collection cycles old.
 */
final class ActorExchange {

  private record Slot(ActorSnapshot actor, boolean fresh) {}

  private final AtomicReference<Slot> middle;
  private ActorSnapshot back;
  private ActorSnapshot front;

  /** Three copies of {@code learner}'s current actor; call from the learner's thread. */
  ActorExchange(Td3 learner) {
    this.front = learner.snapshotActor();
    this.back = learner.snapshotActor();
    this.middle = new AtomicReference<>(new Slot(learner.snapshotActor(), false));
  }

  /** Learner's thread, between two gradient steps: offers the current actor to the collector. */
  void publish(Td3 learner) {
    if (middle.get().fresh()) {
      return;
    }
    back.refreshFrom(learner);
    back = middle.getAndSet(new Slot(back, true)).actor();
  }

  /** Collector's thread: the latest actor offered, or the one it had. */
  ActorSnapshot latest() {
    if (middle.get().fresh()) {
      front = middle.getAndSet(new Slot(front, false)).actor();
    }
    return front;
  }
}
