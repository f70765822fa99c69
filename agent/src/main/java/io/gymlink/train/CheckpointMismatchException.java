package io.gymlink.train;

/** A checkpoint was made for another environment, observation size or action space than the one at hand. */
public final class CheckpointMismatchException extends RuntimeException {

  public CheckpointMismatchException(String message) {
    super(message);
  }
}
