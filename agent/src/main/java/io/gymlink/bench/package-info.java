/**
 * Benchmarks that print tables (never timed unit tests): {@link io.gymlink.bench.TransportBenchmark} measures the
 * per-step cost of each transport to the env server.
 */
package io.gymlink.bench;
