package io.gymlink.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gymlink.env.InvalidArgumentException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Parsing and resolving {@code --server} lists. */
class ServerTargetsTest {

  @Test
  void parse_listAndDnsName_keepsOrderAndDropsDuplicates() {
    ServerTargets targets = ServerTargets.parse(" a:1, grpc://b:2 ,dns:///fleet.svc:50051,a:1");
    assertEquals(List.of("a:1", "grpc://b:2", "dns:///fleet.svc:50051"),
        targets.entries().stream().map(ServerTargets.Entry::text).toList());
    assertTrue(targets.resolvesNames());
    assertFalse(ServerTargets.parse("a:1").resolvesNames());
    assertEquals(new ServerTargets.Entry("dns:///[::1]:7", "::1", 7, true),
        ServerTargets.parse("dns:///[::1]:7").entries().get(0));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "a:1,,b:2|env server list 'a:1,,b:2' has an empty entry; expected comma-separated host:port, grpc://host:port"
          + " or dns:///host:port",
      "dns://8.8.8.8/fleet:1|env server address 'dns://8.8.8.8/fleet:1' is not dns:///host:port (a DNS server"
          + " authority, dns://server/host:port, is not supported)",
      "dns:///fleet:0|env server address 'dns:///fleet:0' has port 0, expected 1..65535",
      "http://a:1|env server address 'http://a:1' speaks http://, which has no batched step; vector envs need gRPC"
          + " servers (host:port or dns:///host:port)",
      "nohost|env server address 'nohost' is not host:port, grpc://host:port or http://host:port"})
  void parse_badEntry_namesItAndTheAcceptedForms(String text, String message) {
    assertEquals(message, assertThrows(InvalidArgumentException.class, () -> ServerTargets.parse(text)).getMessage());
  }

  @Test
  void resolve_dnsEntry_oneSortedEndpointPerAddress_fixedEntriesAsTheyAre() throws Exception {
    HostResolver resolver = host -> {
      if (host.equals("gone")) {
        throw new UnknownHostException("gone: Name or service not known");
      }
      return List.of(InetAddress.getByName("10.0.0.9"), InetAddress.getByName("10.0.0.10"));
    };
    List<String> failures = new ArrayList<>();
    List<Endpoint> endpoints = ServerTargets.parse("a:1,dns:///fleet:5,dns:///gone:5").resolve(resolver, failures);
    assertEquals(List.of("a:1", "10.0.0.10:5", "10.0.0.9:5"), endpoints.stream().map(Endpoint::authority).toList());
    assertEquals("dns:///fleet:5", endpoints.get(1).source());
    assertEquals(List.of("dns:///gone:5: cannot resolve 'gone' (gone: Name or service not known)"), failures);
  }

  @Test
  void endpoint_ipv6_inBrackets() {
    assertEquals("[::1]:50051", new Endpoint("::1", 50051, "x").authority());
  }
}
