package io.gymlink.vector;

import io.gymlink.client.EnvTarget;
import io.gymlink.env.InvalidArgumentException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The env servers of a vector env as the user named them: a comma-separated list of {@code host:port} (or
 * {@code grpc://host:port}) and {@code dns:///host:port} entries. A {@code dns:///} entry stands for every address
 * its name resolves to, now and at each re-resolution (Docker's service names and Kubernetes' headless Services
 * resolve to one address per replica).
 *
 * @param entries the entries in the order given, without duplicates
 */
public record ServerTargets(List<Entry> entries) {

  private static final Pattern DNS = Pattern.compile("^dns:///(\\[[0-9A-Fa-f:.]+\\]|[^:/\\[\\]\\s]+):([0-9]{1,5})/?$");

  /**
   * One entry.
   *
   * @param text the entry as written
   * @param host the host, or for a {@code dns:///} entry the name to resolve
   * @param port the port
   * @param resolve whether it is a {@code dns:///} entry (one endpoint per address)
   */
  public record Entry(String text, String host, int port, boolean resolve) {}

  public ServerTargets {
    if (entries.isEmpty()) {
      throw new IllegalArgumentException("ServerTargets needs at least one entry");
    }
    entries = List.copyOf(entries);
  }

  /**
   * Parses {@code a:50051,b:50051} or {@code dns:///envserver:50051} (or a mix).
   *
   * @throws InvalidArgumentException naming the entry and the accepted forms
   */
  public static ServerTargets parse(String text) {
    Set<String> seen = new LinkedHashSet<>();
    List<Entry> entries = new ArrayList<>();
    for (String raw : (text == null ? "" : text).split(",", -1)) {
      String item = raw.trim();
      if (item.isEmpty()) {
        throw new InvalidArgumentException("env server list '" + text + "' has an empty entry; expected"
            + " comma-separated host:port, grpc://host:port or dns:///host:port");
      }
      if (seen.add(item)) {
        entries.add(parseEntry(item));
      }
    }
    return new ServerTargets(entries);
  }

  private static Entry parseEntry(String item) {
    if (item.startsWith("dns:")) {
      Matcher m = DNS.matcher(item);
      if (!m.matches()) {
        throw new InvalidArgumentException("env server address '" + item + "' is not dns:///host:port (a DNS"
            + " server authority, dns://server/host:port, is not supported)");
      }
      int port = Integer.parseInt(m.group(2));
      if (port < 1 || port > 65535) {
        throw new InvalidArgumentException("env server address '" + item + "' has port " + port
            + ", expected 1..65535");
      }
      String host = m.group(1).startsWith("[") ? m.group(1).substring(1, m.group(1).length() - 1) : m.group(1);
      return new Entry(item, host, port, true);
    }
    EnvTarget target = EnvTarget.parse(item);
    if (!target.scheme().equals("grpc")) {
      throw new InvalidArgumentException("env server address '" + item + "' speaks " + target.scheme()
          + "://, which has no batched step; vector envs need gRPC servers (host:port or dns:///host:port)");
    }
    return new Entry(item, target.host(), target.port(), false);
  }

  /** Whether any entry is a {@code dns:///} name, so that re-resolving can find new servers. */
  public boolean resolvesNames() {
    return entries.stream().anyMatch(Entry::resolve);
  }

  /**
   * The endpoints now: fixed entries as they are, {@code dns:///} entries as one endpoint per address (sorted, so
   * that the order does not rotate with round-robin DNS answers).
   *
   * @param failures receives one message per name that did not resolve
   */
  public List<Endpoint> resolve(HostResolver resolver, List<String> failures) {
    Set<Endpoint> endpoints = new LinkedHashSet<>();
    for (Entry entry : entries) {
      if (!entry.resolve()) {
        endpoints.add(new Endpoint(entry.host(), entry.port(), entry.text()));
        continue;
      }
      try {
        resolver.resolve(entry.host()).stream()
            .map(InetAddress::getHostAddress)
            .sorted(Comparator.naturalOrder())
            .forEach(address -> endpoints.add(new Endpoint(address, entry.port(), entry.text(), entry.host())));
      } catch (UnknownHostException e) {
        failures.add(entry.text() + ": cannot resolve '" + entry.host() + "' (" + e.getMessage() + ")");
      }
    }
    return List.copyOf(endpoints);
  }

  @Override
  public String toString() {
    return String.join(",", entries.stream().map(Entry::text).toList());
  }
}
