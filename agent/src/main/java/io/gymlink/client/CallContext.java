package io.gymlink.client;

import java.time.Duration;

/**
 * What a failed call was doing, so that its error message can name the server, the operation, the environment and
 * the instance.
 *
 * @param target the server address, {@code host:port}
 * @param operation {@code make}, {@code reset}, {@code step}, {@code close} or another RPC name
 * @param envId the environment id, or {@code null} when the call is not about one environment
 * @param instanceId the instance, or {@code null} before make has answered
 * @param timeout the deadline the call had
 */
record CallContext(String target, String operation, String envId, String instanceId, Duration timeout) {

  /** E.g. {@code step on 'Pendulum-v1' (instance 7f3a)}. */
  String describe() {
    StringBuilder out = new StringBuilder(operation);
    if (envId != null) {
      out.append(" on '").append(envId).append('\'');
    }
    if (instanceId != null) {
      out.append(" (instance ").append(instanceId).append(')');
    }
    return out.toString();
  }
}
