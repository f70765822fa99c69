package io.gymlink.cli;

import io.gymlink.env.EnvException;
import java.io.PrintWriter;
import java.util.Arrays;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code gymlink} command: runs agents against Gymnasium environments served by a gymlink env server.
 *
 * <p>Exit codes: 0 success, 1 an environment or server error (one line on stderr, the stack trace only with
 * {@code --verbose}), 2 a usage error.
 */
@Command(
    name = "gymlink",
    mixinStandardHelpOptions = true,
    versionProvider = GymlinkVersion.class,
    description = "Runs agents against Gymnasium environments served over gRPC by a gymlink env server, or over"
        + " HTTP by any gym-http-api server.%n"
        + "Without --server, commands start a local env server themselves and stop it when they exit.",
    subcommands = {
        CommandLine.HelpCommand.class, ListCommand.class, RolloutCommand.class, TrainCommand.class,
        EvalCommand.class, ExportCommand.class, SubmitCommand.class, PlotCommand.class
    },
    footer = "%nExit codes: 0 ok, 1 environment or server error, 2 usage error.")
public final class GymlinkCli implements Runnable {

  /** Exit code for an environment or server error. */
  public static final int EXIT_ERROR = 1;

  /** Exit code after Ctrl-C or SIGTERM (128 + SIGINT, as shells report it). */
  public static final int EXIT_INTERRUPTED = 130;

  /** Set once the JVM starts shutting down, so that errors caused by the shutdown itself are not reported. */
  private static volatile boolean shuttingDown;

  @Spec
  private CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "missing command: choose one of "
        + spec.subcommands().keySet());
  }

  /** Runs the CLI and exits with its exit code. */
  public static void main(String[] args) {
    boolean verbose = Arrays.asList(args).contains("--verbose");
    if (verbose) {
      // Read once when slf4j-simple initialises, which happens after this line (no logger exists yet). Only
      // gymlink's own loggers: Netty's debug output says nothing about environments.
      System.setProperty("org.slf4j.simpleLogger.log.io.gymlink", "debug");
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> shuttingDown = true, "gymlink-shutdown-flag"));
    System.exit(commandLine(verbose).execute(args));
  }

  /** The configured command line (exit codes and error printing as documented above); for tests too. */
  public static CommandLine commandLine(boolean verbose) {
    CommandLine cli = new CommandLine(new GymlinkCli());
    cli.setParameterExceptionHandler((ex, args) -> {
      CommandLine failed = ex.getCommandLine();
      PrintWriter err = failed.getErr();
      err.println(failed.getCommandSpec().qualifiedName() + ": " + ex.getMessage());
      UnmatchedArgumentException.printSuggestions(ex, err);
      err.println("Try '" + failed.getCommandSpec().qualifiedName() + " --help' for more information.");
      return failed.getCommandSpec().exitCodeOnInvalidInput();
    });
    cli.setExecutionExceptionHandler((ex, failed, parseResult) -> {
      PrintWriter err = failed.getErr();
      if (shuttingDown) {
        // Ctrl-C or SIGTERM: the local env server is being stopped under us; that is not an error to report.
        err.println(failed.getCommandSpec().qualifiedName() + ": interrupted");
        err.flush();
        return EXIT_INTERRUPTED;
      }
      String what = ex instanceof EnvException
          ? ex.getMessage()
          : ex.getClass().getSimpleName() + ": " + ex.getMessage() + (verbose ? "" : " (--verbose shows details)");
      err.println(failed.getCommandSpec().qualifiedName() + ": error: " + what);
      if (verbose) {
        ex.printStackTrace(err);
      }
      err.flush();
      return EXIT_ERROR;
    });
    return cli;
  }
}
