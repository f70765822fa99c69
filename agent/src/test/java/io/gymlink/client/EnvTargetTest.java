package io.gymlink.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.gymlink.env.InvalidArgumentException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EnvTargetTest {

  @ParameterizedTest
  @CsvSource({
      "localhost:50051, grpc, localhost, 50051",
      "grpc://127.0.0.1:1, grpc, 127.0.0.1, 1",
      "GRPC://envs.example:65535, grpc, envs.example, 65535",
      "http://127.0.0.1:5000, http, 127.0.0.1, 5000",
      "http://127.0.0.1:5000/, http, 127.0.0.1, 5000",
      "'[::1]:50051', grpc, ::1, 50051",
      "' server:7 ', grpc, server, 7"})
  void parse_validForms_givesSchemeHostPort(String text, String scheme, String host, int port) {
    assertEquals(new EnvTarget(scheme, host, port), EnvTarget.parse(text));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "localhost", "localhost:", ":50051", "localhost:port", "localhost:0", "host:65536",
      "host:123456", "a b:1", "host:1/path"})
  void parse_garbage_throwsNamingTextAndForms(String text) {
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> EnvTarget.parse(text));
    assertEquals(true, e.getMessage().startsWith("env server address '" + text + "' "), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"ftp://host:21", "https://host:443"})
  void parse_unknownScheme_throwsNamingIt(String text) {
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> EnvTarget.parse(text));
    assertEquals(true, e.getMessage().contains("expected grpc:// or http://"), e.getMessage());
  }

  @ParameterizedTest
  @CsvSource({"localhost:50051, localhost:50051", "grpc://h:1, h:1", "http://h:1, http://h:1", "'[::1]:2', '[::1]:2'"})
  void toString_isTheCanonicalAddress(String text, String expected) {
    assertEquals(expected, EnvTarget.parse(text).toString());
  }
}
