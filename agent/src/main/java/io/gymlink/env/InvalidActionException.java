package io.gymlink.env;

/** An action is not an element of the action space: wrong shape, dtype, NaN or out of bounds. */
public class InvalidActionException extends EnvException {

  public InvalidActionException(String message) {
    super(message);
  }

  public InvalidActionException(String message, Throwable cause) {
    super(message, cause);
  }
}
