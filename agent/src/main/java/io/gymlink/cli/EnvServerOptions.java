package io.gymlink.cli;

import io.gymlink.client.ClientConfig;
import io.gymlink.client.ClientSecurity;
import io.gymlink.client.EnvFactories;
import io.gymlink.client.EnvFactory;
import io.gymlink.client.GrpcChannels;
import io.gymlink.client.GrpcEnvFactory;
import io.gymlink.env.EnvException;
import io.gymlink.env.InvalidArgumentException;
import io.gymlink.vector.ChannelFactory;
import io.gymlink.vector.ServerTargets;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The options that say which env server a command uses (a picocli mixin, shared by the commands that make
 * environments), and the wiring that turns them into an {@link EnvFactory}.
 */
public final class EnvServerOptions {

  @Spec(Spec.Target.MIXEE)
  private CommandSpec mixee;

  @Option(names = "--server", paramLabel = "HOST:PORT[,...]",
      description = "Env server(s) to use: host:port or grpc://host:port (gRPC), http://host:port (gym-http-api);"
          + " for gRPC a comma-separated list and dns:///host:port (every address the name resolves to, resolved"
          + " again every 30 s), over which vector envs (--num-envs) spread evenly; single envs use the first."
          + " Without it, a local env server is started on a free loopback port and stopped when the command ends.")
  String server;

  @Option(names = "--envserver-command", paramLabel = "CMD",
      description = "Command that starts the local env server (only without --server). Default: the environment"
          + " variable GYMLINK_ENVSERVER (set by bin/gymlink), else gymlink-envserver on the PATH.")
  String envserverCommand;

  @Option(names = "--envserver-args", paramLabel = "ARGS",
      description = "Extra arguments for the local env server (only without --server), split on spaces, e.g."
          + " \"--test-envs\" or \"--allow my_pkg.envs:MyEnv --max-instances 4\".")
  String envserverArgs;

  @Option(names = "--call-timeout", paramLabel = "SECONDS", defaultValue = "30",
      description = "Deadline for each reset, step and close call, in seconds (default: ${DEFAULT-VALUE}).")
  double callTimeoutSeconds;

  @Option(names = "--make-timeout", paramLabel = "SECONDS", defaultValue = "120",
      description = "Deadline for making an environment, in seconds (default: ${DEFAULT-VALUE}).")
  double makeTimeoutSeconds;

  @Option(names = "--tls",
      description = "Speak TLS to --server (gRPC), trusting the JDK's CAs or --ca-cert.")
  boolean tls;

  @Option(names = "--ca-cert", paramLabel = "FILE",
      description = "PEM CA bundle that signed the server's certificate (implies --tls).")
  Path caCert;

  @Option(names = "--client-cert", paramLabel = "FILE",
      description = "PEM client certificate for servers that require one (mutual TLS; implies --tls).")
  Path clientCert;

  @Option(names = "--client-key", paramLabel = "FILE", description = "PEM (PKCS#8) private key of --client-cert.")
  Path clientKey;

  @Option(names = "--token-file", paramLabel = "FILE",
      description = "File holding the bearer token for --server (its first field). Default: the environment"
          + " variable " + ClientSecurity.TOKEN_VARIABLE + ", if set.")
  Path tokenFile;

  @Option(names = "--server-lost-timeout", paramLabel = "SECONDS", defaultValue = "300",
      description = "How long vector envs keep retrying when no env server at all can be reached before the command"
          + " fails (lost servers are retried with backoff, their envs re-made elsewhere) (default: ${DEFAULT-VALUE}).")
  double serverLostTimeoutSeconds;

  @Option(names = "--streams-per-server", paramLabel = "N", defaultValue = "1",
      description = "Session streams per env server for vector envs (--num-envs): a server's envs are split over"
          + " them, one batched request per stream per step, so that with --async a slow env holds up only the envs"
          + " of its stream (default: ${DEFAULT-VALUE}: one batch per server per step).")
  int streamsPerServer;

  @Option(names = "--verbose",
      description = "Log debug details (including the env server's own log) and print stack traces on errors.")
  boolean verbose;

  /** The deadlines, validated. */
  public ClientConfig clientConfig() {
    if (!(callTimeoutSeconds > 0) || !(makeTimeoutSeconds > 0)) {
      throw new ParameterException(mixee.commandLine(), "--call-timeout and --make-timeout must be positive, got "
          + callTimeoutSeconds + " and " + makeTimeoutSeconds);
    }
    return new ClientConfig(seconds(callTimeoutSeconds), seconds(makeTimeoutSeconds));
  }

  /**
   * TLS and the bearer token for --server, from --tls, --ca-cert, --client-cert, --client-key and --token-file
   * (else {@value ClientSecurity#TOKEN_VARIABLE}).
   *
   * @throws ParameterException when the files cannot be read or do not fit together
   */
  public ClientSecurity security() {
    try {
      boolean useTls = tls || caCert != null || clientCert != null;
      return new ClientSecurity(useTls, caCert, clientCert, clientKey,
          ClientSecurity.readToken(tokenFile, System.getenv()));
    } catch (EnvException e) {
      throw new ParameterException(mixee.commandLine(), e.getMessage());
    }
  }

  /** Whether --verbose was given. */
  public boolean verbose() {
    return verbose;
  }

  /**
   * Connects to {@code --server}, or starts a local env server and connects to it.
   *
   * @param extraServerArgs more arguments for a local server (e.g. {@code --test-envs}); ignored with --server
   * @throws ParameterException if --server is malformed (a usage error)
   * @throws EnvException if the local server cannot be started
   */
  public ServerConnection connect(List<String> extraServerArgs) {
    ClientConfig config = clientConfig();
    if (!(serverLostTimeoutSeconds > 0)) {
      throw new ParameterException(mixee.commandLine(), "--server-lost-timeout must be positive, got "
          + serverLostTimeoutSeconds);
    }
    if (streamsPerServer < 1) {
      throw new ParameterException(mixee.commandLine(), "--streams-per-server must be at least 1, got "
          + streamsPerServer);
    }
    if (server != null) {
      return connectTo(server, config);
    }
    if (tls || caCert != null || clientCert != null || tokenFile != null) {
      throw new ParameterException(mixee.commandLine(), "--tls, --ca-cert, --client-cert and --token-file apply to"
          + " --server; the local env server listens on loopback without them");
    }
    List<String> args = new ArrayList<>(List.of("--log-level", verbose ? "info" : "warning"));
    args.addAll(extraServerArgs);
    if (envserverArgs != null && !envserverArgs.isBlank()) {
      args.addAll(List.of(envserverArgs.trim().split("\\s+")));
    }
    PrintStream serverLog = System.err;
    LocalEnvServer local = LocalEnvServer.start(LocalEnvServer.resolveCommand(envserverCommand, System.getenv()),
        args, LocalEnvServer.DEFAULT_START_TIMEOUT, serverLog);
    try {
      EnvFactory factory = EnvFactories.forServer(local.target(), config);
      // On Ctrl-C the shutdown hook then ends our sessions first, so the server need not wait out its grace period.
      local.closeBeforeStopping(factory);
      return new ServerConnection(factory, local, ServerTargets.parse(local.target()), vectorSettings(config),
          ChannelFactory.plaintext());
    } catch (RuntimeException e) {
      local.close();
      throw e;
    }
  }

  private ServerConnection connectTo(String servers, ClientConfig config) {
    ClientSecurity security = security();
    try {
      if (servers.trim().startsWith("http://")) {
        if (servers.contains(",")) {
          throw new InvalidArgumentException("a list of servers needs gRPC servers; '" + servers + "' names"
              + " gym-http-api ones");
        }
        return new ServerConnection(EnvFactories.forServer(servers, config, security), null);
      }
      ServerTargets targets = ServerTargets.parse(servers);
      return new ServerConnection(singleEnvFactory(targets.entries().get(0), config, security), null, targets,
          vectorSettings(config), ChannelFactory.secured(security));
    } catch (EnvException e) {
      throw new ParameterException(mixee.commandLine(), "--server: " + e.getMessage());
    }
  }

  /** Single environments go to the first entry; a {@code dns:///} one through gRPC's own resolver. */
  private static EnvFactory singleEnvFactory(ServerTargets.Entry first, ClientConfig config,
      ClientSecurity security) {
    if (!first.resolve()) {
      return EnvFactories.forServer(first.text(), config, security);
    }
    return new GrpcEnvFactory(GrpcChannels.forTarget(first.text(), security), first.text(), config);
  }

  private VectorSettings vectorSettings(ClientConfig config) {
    return new VectorSettings(config, seconds(serverLostTimeoutSeconds), streamsPerServer);
  }

  private static Duration seconds(double seconds) {
    return Duration.ofNanos(Math.round(seconds * 1e9));
  }
}
