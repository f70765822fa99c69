package io.gymlink.env;

/** {@link Env#step} was called before {@link Env#reset} or after the episode ended. */
public class ResetNeededException extends EnvException {

  public ResetNeededException(String message) {
    super(message);
  }

  public ResetNeededException(String message, Throwable cause) {
    super(message, cause);
  }
}
