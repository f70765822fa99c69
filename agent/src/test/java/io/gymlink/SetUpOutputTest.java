package io.gymlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The set-up scripts' Maven output carries no terminal colour codes when it goes to a log, not a terminal: every
 * {@code mvn} call in bin/ runs in batch mode without colour, and {@code .mvn/jvm.config} stops jansi's reset code
 * (Debian's Maven 3.8 prints {@code ESC[0m} even with {@code -B}).
 */
class SetUpOutputTest {

  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

  @Test
  void mavenInBatchMode_fromTheProjectRoot_printsNoEscapeCodes() throws Exception {
    assumeTrue(onPath("mvn"), "mvn is not on the PATH");
    Process mvn = new ProcessBuilder("mvn", "-B", "-Dstyle.color=never", "--version")
        .directory(ROOT.toFile()).redirectErrorStream(true).start();
    mvn.getOutputStream().close();
    String output = new String(mvn.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(mvn.waitFor(60, TimeUnit.SECONDS), "mvn --version did not finish");
    assertEquals(0, mvn.exitValue(), output);
    assertTrue(output.contains("Apache Maven"), output);
    assertFalse(output.contains("\u001b["), "terminal codes in: " + output.replace("\u001b", "\\e"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"bin/bootstrap", "bin/test", "bin/container-tests", "bin/bench-update"})
  void everyMavenCallInScripts_isBatchModeWithoutColour(String script) throws IOException {
    List<String> calls = Files.readAllLines(ROOT.resolve(script)).stream()
        .map(String::strip)
        .filter(line -> line.startsWith("mvn "))
        .toList();
    assertFalse(calls.isEmpty(), script + " calls no mvn");
    for (String call : calls) {
      assertTrue(call.contains(" -B ") && call.contains(" -Dstyle.color=never "), script + ": " + call);
    }
  }

  private static boolean onPath(String command) {
    String path = System.getenv().getOrDefault("PATH", "");
    return java.util.Arrays.stream(path.split(java.io.File.pathSeparator))
        .anyMatch(dir -> Files.isExecutable(Path.of(dir, command)));
  }
}
