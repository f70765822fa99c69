package io.gymlink.cli;

import io.gymlink.env.EnvServerUnavailableException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Python env server ({@code gymlink-envserver}) run as a child process on a free loopback port: the embedded
 * default of the CLI when no {@code --server} is given.
 *
 * <p>Starts the command with {@code --host 127.0.0.1 --port 0}, waits for its line
 * {@code gymlink-envserver listening on 127.0.0.1:PORT}, and stops the process (and its descendants) on
 * {@link #close()} or, if the JVM exits first, in a shutdown hook (which also covers Ctrl-C).
 */
public final class LocalEnvServer implements AutoCloseable {

  /** How long a server may take to import Gymnasium and start listening. */
  public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(60);

  /** The command used when neither an option nor {@code GYMLINK_ENVSERVER} names one. */
  public static final String DEFAULT_COMMAND = "gymlink-envserver";

  private static final Logger log = LoggerFactory.getLogger(LocalEnvServer.class);
  private static final Pattern LISTENING = Pattern.compile("gymlink-envserver listening on (\\S+):(\\d+)");
  private static final Pattern HTTP_LISTENING = Pattern.compile("gymlink-envserver http listening on (\\S+:\\d+)");
  private static final int KEPT_LOG_LINES = 20;
  private static final Duration STOP_GRACE = Duration.ofSeconds(5);

  private final Process process;
  private final List<String> command;
  private final String host;
  private final int port;
  private final String httpAddress;
  private final Thread shutdownHook;
  private final List<AutoCloseable> clients = new CopyOnWriteArrayList<>();
  private boolean closed;

  private LocalEnvServer(Process process, List<String> command, String host, int port, String httpAddress) {
    this.process = process;
    this.command = command;
    this.host = host;
    this.port = port;
    this.httpAddress = httpAddress;
    this.shutdownHook = new Thread(this::stopProcess, "gymlink-envserver-stopper");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /**
   * The server command: {@code option} if given, else the environment variable {@code GYMLINK_ENVSERVER}, else
   * {@value #DEFAULT_COMMAND} on the PATH. Split on whitespace, so {@code "python -m gymlink_envserver"} works.
   */
  public static List<String> resolveCommand(String option, Map<String, String> environment) {
    String chosen = option != null && !option.isBlank() ? option : environment.get("GYMLINK_ENVSERVER");
    if (chosen == null || chosen.isBlank()) {
      chosen = DEFAULT_COMMAND;
    }
    return List.of(chosen.trim().split("\\s+"));
  }

  /**
   * Starts a server and waits until it listens.
   *
   * @param command the server command, e.g. {@code [/repo/.venv/bin/gymlink-envserver]}
   * @param extraArgs more server arguments, e.g. {@code --test-envs}, {@code --max-instances 1}
   * @param startTimeout how long to wait for the "listening on" line
   * @param serverLog where the server's own log (its stderr) goes, or {@code null} to keep only the last lines for
   *     error messages
   * @throws EnvServerUnavailableException if the command is missing, exits early or does not listen in time
   */
  public static LocalEnvServer start(List<String> command, List<String> extraArgs, Duration startTimeout,
      PrintStream serverLog) {
    List<String> argv = new ArrayList<>(command);
    // --exit-with-stdin: the server stops when our pipe to its stdin closes, so it never outlives us, not even
    // when this JVM is killed with SIGKILL and no shutdown hook runs.
    argv.addAll(List.of("--host", "127.0.0.1", "--port", "0", "--exit-with-stdin"));
    argv.addAll(extraArgs);
    Process process;
    try {
      process = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.PIPE).start();
    } catch (IOException e) {
      throw new EnvServerUnavailableException("cannot start the local env server '" + String.join(" ", command)
          + "': " + e.getMessage() + ". Run bin/bootstrap, or name the server command with --envserver-command"
          + " or GYMLINK_ENVSERVER, or pass --server host:port to use a running server", e);
    }
    Deque<String> lastLines = new ArrayDeque<>();
    CompletableFuture<int[]> listening = new CompletableFuture<>();
    CompletableFuture<String> listeningHost = new CompletableFuture<>();
    java.util.concurrent.atomic.AtomicReference<String> http = new java.util.concurrent.atomic.AtomicReference<>();
    Thread stderr = pump(process.getErrorStream(), "gymlink-envserver-stderr", line -> {
      remember(lastLines, line);
      if (serverLog != null) {
        serverLog.println(line);
      }
    }, () -> { });
    pump(process.getInputStream(), "gymlink-envserver-stdout", line -> {
      Matcher m = LISTENING.matcher(line);
      Matcher h = HTTP_LISTENING.matcher(line);
      if (h.find()) {
        // With --http-port the server prints its HTTP address before the gRPC line.
        http.set(h.group(1));
      } else if (m.find() && !listening.isDone()) {
        listeningHost.complete(m.group(1));
        listening.complete(new int[] {Integer.parseInt(m.group(2))});
      } else {
        remember(lastLines, line);
      }
    }, () -> listening.completeExceptionally(new IllegalStateException("stdout closed")));
    try {
      int port = listening.get(startTimeout.toMillis(), TimeUnit.MILLISECONDS)[0];
      LocalEnvServer server = new LocalEnvServer(process, List.copyOf(command), listeningHost.join(), port,
          http.get());
      log.debug("started local env server '{}' (pid {}) on {}", String.join(" ", command), process.pid(),
          server.target());
      return server;
    } catch (TimeoutException e) {
      destroy(process);
      throw new EnvServerUnavailableException("local env server '" + String.join(" ", argv) + "' did not print"
          + " 'gymlink-envserver listening on HOST:PORT' within " + startTimeout.toSeconds() + " s; stopped it."
          + lastLinesOf(lastLines), e);
    } catch (ExecutionException e) {
      Integer code = waitBriefly(process);
      destroy(process);
      joinQuietly(stderr);
      throw new EnvServerUnavailableException("local env server '" + String.join(" ", argv) + "' exited"
          + (code == null ? "" : " with code " + code) + " before listening." + lastLinesOf(lastLines), e);
    } catch (InterruptedException e) {
      destroy(process);
      Thread.currentThread().interrupt();
      throw new EnvServerUnavailableException("interrupted while starting the local env server", e);
    }
  }

  /** {@code 127.0.0.1:PORT}, ready for {@code EnvFactories.forServer}. */
  public String target() {
    return host + ":" + port;
  }

  /** {@code http://127.0.0.1:PORT} of the gym-http-api routes when started with {@code --http-port}, else null. */
  public String httpTarget() {
    return httpAddress == null ? null : "http://" + httpAddress;
  }

  /** The port the server listens on. */
  public int port() {
    return port;
  }

  /** The server process's id. */
  public long pid() {
    return process.pid();
  }

  /** Whether the server process is still running. */
  public boolean isAlive() {
    return process.isAlive();
  }

  /**
   * Closes {@code client} (quietly) before this server is stopped, by {@link #close()} or the shutdown hook: a
   * server stops at once when no call is in flight, but gives a live session its grace period (seconds) first.
   */
  public void closeBeforeStopping(AutoCloseable client) {
    clients.add(client);
  }

  /** Kills the server at once (SIGKILL), as a crash would; for tests of what clients do then. */
  public void kill() {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    waitBriefly(process);
  }

  /** Stops the server (SIGTERM, then SIGKILL after a grace period) and waits for it to exit. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    stopProcess();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // The JVM is already shutting down and runs the hook itself.
    }
  }

  @Override
  public String toString() {
    return "LocalEnvServer(" + String.join(" ", command) + " at " + target() + ", pid " + process.pid() + ")";
  }

  private void stopProcess() {
    for (AutoCloseable client : clients) {
      try {
        client.close();
      } catch (Exception e) {
        log.debug("closing {} before stopping the local env server failed: {}", client, e.toString());
      }
    }
    if (process.isAlive()) {
      log.debug("stopping local env server (pid {})", process.pid());
    }
    destroy(process);
  }

  private static void destroy(Process process) {
    List<ProcessHandle> descendants = process.descendants().toList();
    process.destroy();
    try {
      if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    descendants.forEach(ProcessHandle::destroyForcibly);
  }

  private static Integer waitBriefly(Process process) {
    try {
      return process.waitFor(2, TimeUnit.SECONDS) ? process.exitValue() : null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private static void joinQuietly(Thread thread) {
    try {
      thread.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Thread pump(InputStream stream, String name, java.util.function.Consumer<String> onLine,
      Runnable onEnd) {
    Thread thread = new Thread(() -> {
      try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
          onLine.accept(line);
        }
      } catch (IOException e) {
        // The process is gone; nothing more to read.
      } finally {
        onEnd.run();
      }
    }, name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  private static void remember(Deque<String> lines, String line) {
    synchronized (lines) {
      lines.addLast(line);
      while (lines.size() > KEPT_LOG_LINES) {
        lines.removeFirst();
      }
    }
  }

  private static String lastLinesOf(Deque<String> lines) {
    synchronized (lines) {
      return lines.isEmpty() ? " It printed nothing." : " Its last output:\n  " + String.join("\n  ", lines);
    }
  }
}
