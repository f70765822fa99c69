/**
 * The {@code gymlink} command line: {@link io.gymlink.cli.GymlinkCli} (picocli) and its subcommands, plus
 * {@link io.gymlink.cli.LocalEnvServer}, the env server the CLI starts itself when no {@code --server} is given.
 *
 * <p>Only this package reads environment variables and wires library classes together.
 */
package io.gymlink.cli;
