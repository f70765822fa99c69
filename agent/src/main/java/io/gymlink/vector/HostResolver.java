package io.gymlink.vector;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/** Resolves a host name to every address it has, for {@code dns:///} server targets (injectable for tests). */
@FunctionalInterface
public interface HostResolver {

  /**
   * Every address {@code host} resolves to now.
   *
   * @throws UnknownHostException if the name does not resolve
   */
  List<InetAddress> resolve(String host) throws UnknownHostException;

  /** The JVM's resolver ({@link InetAddress#getAllByName}: the system's resolver, cached for about 30 s). */
  static HostResolver system() {
    return host -> List.of(InetAddress.getAllByName(host));
  }
}
