package io.gymlink.env;

/**
 * Root of gymlink's exception tree (like Gymnasium's {@code gymnasium.error}).
 *
 * <p>Every message names the environment id or instance and, where it applies, the expected and actual values.
 * Transport errors keep their cause. Unchecked, as callers rarely can do more than report it.
 *
 * <pre>
 * EnvException
 *  +- UnknownEnvironmentException   id not registered / not allowed (NOT_FOUND, PERMISSION_DENIED)
 *  +- InvalidActionException        action not in the action space (INVALID_ARGUMENT)
 *  +- InvalidArgumentException      any other malformed request (INVALID_ARGUMENT)
 *  +- ResetNeededException          step before reset or after the episode ended (FAILED_PRECONDITION)
 *  +- InstanceNotFoundException     unknown or expired instance (NOT_FOUND)
 *  +- TooManyInstancesException     the server's instance limit is reached (RESOURCE_EXHAUSTED)
 *  +- UnsupportedSpaceException     a space the protocol or the agent cannot handle (UNIMPLEMENTED)
 *  +- EnvServerUnavailableException server down or deadline passed (UNAVAILABLE, DEADLINE_EXCEEDED)
 *  +- EnvServerException            the environment failed on the server (INTERNAL, UNKNOWN)
 * </pre>
 */
public class EnvException extends RuntimeException {

  public EnvException(String message) {
    super(message);
  }

  public EnvException(String message, Throwable cause) {
    super(message, cause);
  }
}
