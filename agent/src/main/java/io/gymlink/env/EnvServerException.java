package io.gymlink.env;

/** The environment raised on the server; the message names the env id and the exception. */
public class EnvServerException extends EnvException {

  public EnvServerException(String message) {
    super(message);
  }

  public EnvServerException(String message, Throwable cause) {
    super(message, cause);
  }
}
