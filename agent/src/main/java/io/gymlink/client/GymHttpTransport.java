package io.gymlink.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gymlink.env.EnvServerException;
import io.gymlink.env.EnvServerUnavailableException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Sends gym-http-api requests (JSON over HTTP/1.1) to one server and maps failures onto the env exception tree.
 *
 * <p>One JDK {@link HttpClient} is shared by every environment of a factory; it keeps connections alive and reuses
 * them, which matters when every step is a request. Every request has a deadline.
 */
final class GymHttpTransport implements AutoCloseable {

  private final URI base;
  private final HttpClient http;
  private final ObjectMapper json;
  private final String server;
  private final String authorization;

  /**
   * @param base server root, e.g. {@code http://127.0.0.1:5000}
   * @param connectTimeout deadline for opening a connection
   */
  GymHttpTransport(URI base, Duration connectTimeout) {
    this(base, connectTimeout, null);
  }

  /**
   * @param base server root, e.g. {@code http://127.0.0.1:5000}
   * @param connectTimeout deadline for opening a connection
   * @param token bearer token sent with every request, or {@code null}
   */
  GymHttpTransport(URI base, Duration connectTimeout, String token) {
    this.base = base;
    this.authorization = token == null ? null : "Bearer " + token;
    this.server = base.toString();
    this.http = HttpClient.newBuilder()
        // gym-http-api servers speak HTTP/1.1; asking for h2c would add an Upgrade round that many refuse.
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(connectTimeout)
        .build();
    this.json = new ObjectMapper().enable(DeserializationFeature.USE_LONG_FOR_INTS);
  }

  /** The JSON mapper shared with the callers (info maps, request bodies). */
  ObjectMapper json() {
    return json;
  }

  /** The server root, for messages. */
  String server() {
    return server;
  }

  /** POSTs {@code body} (JSON, may be {@code null}) and returns the parsed answer, or {@code null} for 204. */
  JsonNode post(String path, Object body, Duration timeout) {
    byte[] bytes;
    try {
      bytes = json.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot encode the body of POST " + path + " as JSON: " + e.getMessage(), e);
    }
    return send(request(path, timeout).POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), "POST " + path);
  }

  /** GETs {@code path} and returns the parsed answer. */
  JsonNode get(String path, Duration timeout) {
    return send(request(path, timeout).GET().build(), "GET " + path);
  }

  /** Percent-encodes one path segment (instance ids are server-chosen and may hold any character). */
  static String segment(String text) {
    StringBuilder out = new StringBuilder();
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~".indexOf(c) >= 0) {
        out.append(c);
      } else {
        out.append('%').append(String.format("%02X", b & 0xff));
      }
    }
    return out.toString();
  }

  private HttpRequest.Builder request(String path, Duration timeout) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(path))
        .timeout(timeout)
        .header("Content-Type", "application/json")
        .header("Accept", "application/json");
    return authorization == null ? builder : builder.header("Authorization", authorization);
  }

  private JsonNode send(HttpRequest request, String what) {
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (HttpConnectTimeoutException | ConnectException e) {
      throw new EnvServerUnavailableException("cannot reach env server at " + server + " — is it running?", e);
    } catch (HttpTimeoutException e) {
      throw new EnvServerUnavailableException("env server at " + server + " did not answer " + what + " within "
          + ClientConfig.describe(request.timeout().orElseThrow()), e);
    } catch (IOException e) {
      throw new EnvServerUnavailableException("lost the connection to env server at " + server + " during " + what
          + " (" + e.getMessage() + ") — is it running?", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EnvServerUnavailableException("interrupted while waiting for " + what + " at " + server, e);
    }
    String text = response.body();
    JsonNode body = parse(text);
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      if (status != 204 && body == null && text != null && !text.isBlank()) {
        throw new EnvServerException(what + " at " + server + " answered " + status + " with a body that is not JSON: "
            + (text.length() > 200 ? text.substring(0, 197) + "..." : text));
      }
      return body;
    }
    throw HttpErrors.map(status, body, text, what + " at " + server);
  }

  private JsonNode parse(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return json.readTree(text);
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  @Override
  public void close() {
    // HttpClient.close() exists only from Java 21; on 17 its pooled connections end with the client's executor.
    if (http instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception ignored) {
        // Closing a client whose server is gone must not fail: there is nothing left to free.
      }
    }
  }
}
