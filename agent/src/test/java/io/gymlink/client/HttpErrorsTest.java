package io.gymlink.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gymlink.env.EnvException;
import io.gymlink.env.EnvServerException;
import io.gymlink.env.InstanceNotFoundException;
import io.gymlink.env.InvalidActionException;
import io.gymlink.env.InvalidArgumentException;
import io.gymlink.env.TooManyInstancesException;
import io.gymlink.env.UnknownEnvironmentException;
import org.junit.jupiter.api.Test;

/** Error answers of gymlink's server (typed) and of other gym-http-api servers (message or status only). */
class HttpErrorsTest {

  private static EnvException map(int status, String body) throws Exception {
    JsonNode json;
    try {
      json = new ObjectMapper().readTree(body);
    } catch (Exception e) {
      json = null;
    }
    return HttpErrors.map(status, json, body, "POST /v1/envs/ at http://h:1");
  }

  @Test
  void typedAnswers_mapExactly() throws Exception {
    assertInstanceOf(InvalidActionException.class, map(400, "{\"message\": \"m\", \"type\": \"InvalidAction\"}"));
    assertInstanceOf(TooManyInstancesException.class,
        map(400, "{\"message\": \"m\", \"type\": \"TooManyInstances\"}"));
    assertInstanceOf(UnknownEnvironmentException.class,
        map(404, "{\"message\": \"m\", \"type\": \"EnvironmentNotAllowed\"}"));
    assertInstanceOf(InvalidArgumentException.class, map(401, "{\"message\": \"m\", \"type\": \"GraderRefused\"}"));
    assertEquals("m", map(400, "{\"message\": \"m\", \"type\": \"EnvironmentFailed\"}").getMessage());
    EnvException missing = map(400, "{\"message\": \"m\", \"type\": \"DependencyMissing\"}");
    assertEquals(EnvServerException.class, missing.getClass());
    assertEquals("m", missing.getMessage());
  }

  @Test
  void upstreamAnswers_mapByWording() throws Exception {
    EnvException unknown = map(400, "{\"message\": \"Instance_id 3c657dbc unknown\"}");
    assertInstanceOf(InstanceNotFoundException.class, unknown);
    assertEquals("Instance_id 3c657dbc unknown", unknown.getMessage());
    assertInstanceOf(UnknownEnvironmentException.class,
        map(400, "{\"message\": \"Attempted to look up malformed environment ID 'x'\"}"));
    assertInstanceOf(InvalidArgumentException.class,
        map(400, "{\"message\": \"A required request parameter 'action' was not provided\"}"));
  }

  @Test
  void answersWithoutMessage_nameTheRequestAndStatus() throws Exception {
    EnvException crash = map(500, "<html>Internal Server Error</html>");
    assertInstanceOf(EnvServerException.class, crash);
    assertEquals("POST /v1/envs/ at http://h:1 failed on the server with HTTP 500: <html>Internal Server Error</html>",
        crash.getMessage());
    assertInstanceOf(InvalidArgumentException.class, map(404, ""));
  }
}
