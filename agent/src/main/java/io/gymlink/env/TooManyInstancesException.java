package io.gymlink.env;

/** The server's instance limit is reached; close instances or raise {@code --max-instances}. */
public class TooManyInstancesException extends EnvException {

  public TooManyInstancesException(String message) {
    super(message);
  }

  public TooManyInstancesException(String message, Throwable cause) {
    super(message, cause);
  }
}
