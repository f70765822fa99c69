package io.gymlink.env;

/** A space that the protocol or the caller cannot handle, e.g. DDPG given a Discrete action space. */
public class UnsupportedSpaceException extends EnvException {

  public UnsupportedSpaceException(String message) {
    super(message);
  }

  public UnsupportedSpaceException(String message, Throwable cause) {
    super(message, cause);
  }
}
