package io.gymlink.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gymlink.env.InvalidArgumentException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientSecurityTest {

  @TempDir
  Path dir;

  @Test
  void readToken_fileFirstFieldOfFirstNonCommentLine() throws Exception {
    Path file = Files.writeString(dir.resolve("t"), "# comment\n\n  abc123 alice  # trailing\nother\n");
    assertEquals("abc123", ClientSecurity.readToken(file, Map.of(ClientSecurity.TOKEN_VARIABLE, "env")));
  }

  @Test
  void readToken_noFile_environmentVariableOrNone() {
    assertEquals("env-token", ClientSecurity.readToken(null, Map.of("GYMLINK_TOKEN", " env-token ")));
    assertNull(ClientSecurity.readToken(null, Map.of()));
  }

  @Test
  void readToken_missingOrEmptyFile_namesTheFile() throws Exception {
    Path missing = dir.resolve("missing");
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
        () -> ClientSecurity.readToken(missing, Map.of()));
    assertTrue(e.getMessage().startsWith("cannot read the token file " + missing), e.getMessage());
    Path empty = Files.writeString(dir.resolve("empty"), "# nothing\n");
    assertEquals("the token file " + empty + " holds no token",
        assertThrows(InvalidArgumentException.class, () -> ClientSecurity.readToken(empty, Map.of())).getMessage());
  }

  @Test
  void constructor_inconsistentSettings_refused() {
    assertThrows(InvalidArgumentException.class, () -> new ClientSecurity(true, null, dir, null, null));
    assertThrows(InvalidArgumentException.class, () -> new ClientSecurity(false, dir, null, null, null));
    assertThrows(InvalidArgumentException.class, () -> new ClientSecurity(false, null, null, null, "a b"));
  }

  @Test
  void toString_hidesToken() {
    ClientSecurity security = ClientSecurity.plaintext().withToken("secret-value");
    assertFalse(security.toString().contains("secret-value"));
    assertFalse(security.isPlaintext());
    assertTrue(ClientSecurity.plaintext().isPlaintext());
  }

  @Test
  void credentials_unreadableCaFile_invalidArgumentNamingIt() {
    Path missing = dir.resolve("nope.pem");
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
        () -> GrpcChannels.credentials(new ClientSecurity(true, missing, null, null, null)));
    assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
  }
}
