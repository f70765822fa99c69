package io.gymlink.train;

/** A checkpoint could not be written or read: missing, incomplete, corrupt, or of an unknown format. */
public final class CheckpointException extends RuntimeException {

  public CheckpointException(String message, Throwable cause) {
    super(message, cause);
  }

  public CheckpointException(String message) {
    super(message);
  }
}
