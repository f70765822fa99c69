package io.gymlink.testing;

import io.gymlink.cli.LocalEnvServer;
import io.gymlink.client.ClientConfig;
import io.gymlink.client.GrpcEnvFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The real Python env server as a JUnit 5 extension: started once per test class on a free loopback port with
 * {@code --test-envs}, stopped after the class.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final PythonEnvServer SERVER = PythonEnvServer.create();                    // or .withArgs("--max-instances", "1")
 * ...
 * try (GrpcEnvFactory factory = SERVER.factory(); Env env = factory.make("Pendulum-v1")) { ... }
 * }</pre>
 *
 * <p>The server command comes from the system property {@code gymlink.envserver} (Surefire and Failsafe set it to
 * {@code <repo>/.venv/bin/gymlink-envserver}; {@code bin/bootstrap} creates it). A missing server fails the tests
 * with a message saying so, rather than skipping them.
 */
public final class PythonEnvServer implements BeforeAllCallback, AfterAllCallback {

  /** The system property naming the server command. */
  public static final String COMMAND_PROPERTY = "gymlink.envserver";

  private final List<String> extraArgs;
  private LocalEnvServer server;
  private GrpcEnvFactory sharedFactory;

  private PythonEnvServer(List<String> extraArgs) {
    this.extraArgs = List.copyOf(extraArgs);
  }

  /** A server with the test environments and default limits. */
  public static PythonEnvServer create() {
    return new PythonEnvServer(List.of());
  }

  /** A server with the test environments and more arguments, e.g. {@code "--max-instances", "1"}. */
  public static PythonEnvServer withArgs(String... args) {
    return new PythonEnvServer(List.of(args));
  }

  /** The server command from {@value #COMMAND_PROPERTY}, checked to exist. */
  public static List<String> command() {
    String command = System.getProperty(COMMAND_PROPERTY);
    if (command == null || command.isBlank()) {
      throw new IllegalStateException("system property " + COMMAND_PROPERTY + " is not set; run the tests through"
          + " Maven (which sets it to <repo>/.venv/bin/gymlink-envserver)");
    }
    if (!command.contains(" ") && !Files.isExecutable(Path.of(command))) {
      throw new IllegalStateException("the env server " + command + " (system property " + COMMAND_PROPERTY
          + ") does not exist or is not executable; run bin/bootstrap to create the venv");
    }
    return List.of(command.trim().split("\\s+"));
  }

  /** Starts a server outside the JUnit lifecycle (the caller closes it), e.g. one a test is going to kill. */
  public static LocalEnvServer startServer(String... args) {
    List<String> all = new ArrayList<>(List.of("--test-envs"));
    all.addAll(List.of(args));
    return LocalEnvServer.start(command(), all, LocalEnvServer.DEFAULT_START_TIMEOUT, System.err);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    server = startServer(extraArgs.toArray(String[]::new));
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (sharedFactory != null) {
      sharedFactory.close();
      sharedFactory = null;
    }
    if (server != null) {
      server.close();
      server = null;
    }
  }

  /** {@code 127.0.0.1:PORT} of the running server. */
  public String target() {
    if (server == null) {
      throw new IllegalStateException("the Python env server is not running (register with @RegisterExtension"
          + " on a static field)");
    }
    return server.target();
  }

  /** The running server process, e.g. to check it is still alive. */
  public LocalEnvServer process() {
    target();
    return server;
  }

  /** One factory with default deadlines for the whole test class; the extension closes it after the class. */
  public GrpcEnvFactory sharedFactory() {
    if (sharedFactory == null) {
      sharedFactory = factory();
    }
    return sharedFactory;
  }

  /** A factory on the server with default deadlines; the caller closes it. */
  public GrpcEnvFactory factory() {
    return factory(ClientConfig.defaults());
  }

  /** A factory on the server with the given deadlines; the caller closes it. */
  public GrpcEnvFactory factory(ClientConfig config) {
    return GrpcEnvFactory.forTarget(target(), config);
  }
}
