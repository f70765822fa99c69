package io.gymlink.env;

/** A request other than an action is malformed (bad keyword arguments, options or seed). */
public class InvalidArgumentException extends EnvException {

  public InvalidArgumentException(String message) {
    super(message);
  }

  public InvalidArgumentException(String message, Throwable cause) {
    super(message, cause);
  }
}
