package io.gymlink.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.gymlink.env.EnvException;
import io.gymlink.env.EnvServerException;
import io.gymlink.env.InstanceNotFoundException;
import io.gymlink.env.InvalidActionException;
import io.gymlink.env.InvalidArgumentException;
import io.gymlink.env.ResetNeededException;
import io.gymlink.env.TooManyInstancesException;
import io.gymlink.env.UnknownEnvironmentException;
import io.gymlink.env.UnsupportedSpaceException;

/**
 * Maps a gym-http-api error answer onto gymlink's {@link EnvException} tree, the same tree as for gRPC.
 *
 * <p>gymlink's server adds {@code "type"} (the server-side error class) next to the protocol's {@code "message"},
 * so the mapping is exact. Other gym-http-api servers send only the message; then the upstream wording decides
 * ("Instance_id ... unknown", "malformed environment ID"), and otherwise the status: 4xx is a bad request, 5xx an
 * environment failure.
 */
final class HttpErrors {

  private HttpErrors() {}

  /**
   * The exception for an error answer.
   *
   * @param status HTTP status code
   * @param body the parsed body, or {@code null} when it was not JSON
   * @param rawBody the body text, used when it carries no message
   * @param request e.g. {@code POST /v1/envs/ab12/step/}, for messages without a server text
   */
  static EnvException map(int status, JsonNode body, String rawBody, String request) {
    String message = body != null && body.hasNonNull("message") ? body.get("message").asText() : null;
    String type = body != null && body.hasNonNull("type") ? body.get("type").asText() : null;
    if (message == null) {
      String text = rawBody == null || rawBody.isBlank() ? "no message" : abbreviate(rawBody.strip());
      return status >= 500
          ? new EnvServerException(request + " failed on the server with HTTP " + status + ": " + text)
          : new InvalidArgumentException(request + " was refused with HTTP " + status + ": " + text);
    }
    if (status == 401 && (type == null || type.equals("Unauthenticated"))) {
      return new EnvServerException(request + " was refused (HTTP 401): " + message + " — give the server's token"
          + " with --token-file FILE or " + ClientSecurity.TOKEN_VARIABLE);
    }
    if (type != null) {
      return byType(type, message);
    }
    if (message.startsWith("Instance_id ") && message.endsWith(" unknown")) {
      return new InstanceNotFoundException(message);
    }
    if (message.contains("environment ID")) {
      return new UnknownEnvironmentException(message);
    }
    return status >= 500 ? new EnvServerException(message) : new InvalidArgumentException(message);
  }

  private static EnvException byType(String type, String message) {
    switch (type) {
      case "InvalidAction":
        return new InvalidActionException(message);
      case "UnknownEnvironment":
      case "EnvironmentNotAllowed":
        return new UnknownEnvironmentException(message);
      case "ResetNeeded":
        return new ResetNeededException(message);
      case "InstanceNotFound":
        return new InstanceNotFoundException(message);
      case "TooManyInstances":
        return new TooManyInstancesException(message);
      case "UnsupportedSpace":
        return new UnsupportedSpaceException(message);
      case "EnvironmentFailed":
      case "DependencyMissing":
        return new EnvServerException(message);
      default:
        // InvalidArgument, and the grader's refusals (token, version): the request itself is wrong.
        return new InvalidArgumentException(message);
    }
  }

  private static String abbreviate(String text) {
    return text.length() <= 200 ? text : text.substring(0, 197) + "...";
  }
}
