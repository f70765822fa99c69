package io.gymlink.env;

/** The env server cannot be reached or did not answer within the deadline. */
public class EnvServerUnavailableException extends EnvException {

  public EnvServerUnavailableException(String message) {
    super(message);
  }

  public EnvServerUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
