package io.gymlink.env;

/** The server does not know the instance: it was closed, expired through the idle timeout, or never existed. */
public class InstanceNotFoundException extends EnvException {

  public InstanceNotFoundException(String message) {
    super(message);
  }

  public InstanceNotFoundException(String message, Throwable cause) {
    super(message, cause);
  }
}
