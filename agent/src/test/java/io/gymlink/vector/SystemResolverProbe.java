package io.gymlink.vector;

import io.gymlink.env.spaces.BoxValue;

/**
 * A main for {@link DnsTargetTest}: connects a vector env to {@code args[0]} (a {@code dns:///} target) with the
 * JVM's own resolver, steps it, and prints where its envs live (the vector env's log line goes to stderr).
 */
public final class SystemResolverProbe {

  private SystemResolverProbe() {}

  public static void main(String[] args) {
    int n = Integer.parseInt(args[1]);
    try (RemoteVectorEnv env = RemoteVectorEnv.connect(ServerTargets.parse(args[0]),
        RemoteVectorConfig.of("Pendulum-v1", n))) {
      env.reset(0L);
      env.step(new BoxValue(new float[n], new int[] {n, 1}));
      System.out.println("stepped " + n + " envs");
    }
  }
}
