package io.gymlink.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** One {@code gymlink} command run in-process, as the CLI tests use it: its exit code and captured out and err. */
record CliRun(int exitCode, String out, String err) {

  /** Runs {@code gymlink ARGS...} through {@link GymlinkCli#commandLine(boolean)} (exit codes and error printing). */
  static CliRun gymlink(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = GymlinkCli.commandLine(false);
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new CliRun(code, out.toString(), err.toString());
  }
}
