package io.gymlink.cli;

import io.gymlink.client.GrpcEnvFactory;
import io.gymlink.env.EnvException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code gymlink list}: prints the environment ids an env server will make (its allowlist), one per line. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    versionProvider = GymlinkVersion.class,
    sortOptions = false,
    description = "Lists the environment ids the env server will make, one per line.",
    footer = {"%nExample:%n  gymlink list --server 127.0.0.1:50051",
        "%nExit codes: 0 ok, 1 environment or server error, 2 usage error."})
public final class ListCommand implements Callable<Integer> {

  @Spec
  private CommandSpec spec;

  @Mixin
  EnvServerOptions serverOptions;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try (ServerConnection connection = serverOptions.connect(List.of())) {
      if (!(connection.factory() instanceof GrpcEnvFactory grpc)) {
        throw new EnvException("listing environments needs a gRPC env server; " + connection.describe()
            + " is not one");
      }
      grpc.listEnvironments().forEach(out::println);
    }
    out.flush();
    return 0;
  }
}
