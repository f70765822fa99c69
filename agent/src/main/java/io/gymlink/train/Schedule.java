package io.gymlink.train;

/** Every-N-steps schedules of the callbacks, in environment steps, robust to steps that advance by more than one. */
final class Schedule {

  private Schedule() {}

  /** The first multiple of {@code every} above {@code step}, or {@link Long#MAX_VALUE} when {@code every} is 0. */
  static long next(long step, int every) {
    return every <= 0 ? Long.MAX_VALUE : (step / every + 1) * every;
  }
}
