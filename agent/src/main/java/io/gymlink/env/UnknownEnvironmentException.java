package io.gymlink.env;

/** The environment id is not registered on the server or not on its allowlist; the message carries any "did you mean" suggestion. */
public class UnknownEnvironmentException extends EnvException {

  public UnknownEnvironmentException(String message) {
    super(message);
  }

  public UnknownEnvironmentException(String message, Throwable cause) {
    super(message, cause);
  }
}
