package io.gymlink.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gymlink.cli.GymlinkCli;
import io.gymlink.cli.LocalEnvServer;
import io.gymlink.env.Env;
import io.gymlink.env.EnvServerException;
import io.gymlink.env.EnvServerUnavailableException;
import io.gymlink.env.InstanceNotFoundException;
import io.gymlink.env.StepResult;
import io.gymlink.env.spaces.BoxValue;
import io.gymlink.proto.v1.EnvServiceGrpc;
import io.gymlink.proto.v1.MakeRequest;
import io.gymlink.proto.v1.StepRequest;
import io.gymlink.testing.PythonEnvServer;
import io.gymlink.testing.TestCertificates;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** TLS, mutual TLS and bearer tokens against the real Python server, with certificates made in the test. */
class SecureChannelTest {

  private static final String ALICE = "alice-token-0123456789";
  private static final String BOB = "bob-token-9876543210";

  @TempDir
  static Path dir;

  private static TestCertificates certs;
  private static Path tokens;
  private static LocalEnvServer server;

  @BeforeAll
  static void startSecureServer() throws Exception {
    certs = TestCertificates.create(dir);
    tokens = Files.writeString(dir.resolve("tokens"), ALICE + " alice\n" + BOB + " bob\n");
    server = PythonEnvServer.startServer("--tls-cert", certs.server().toString(), "--tls-key",
        certs.serverKey().toString(), "--tokens", tokens.toString(), "--http-port", "0");
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  private static ClientSecurity tls(String token) {
    return new ClientSecurity(true, certs.ca(), null, null, token);
  }

  private static GrpcEnvFactory factory(ClientSecurity security) {
    return GrpcEnvFactory.forTarget(EnvTarget.parse(server.target()), ClientConfig.defaults(), security);
  }

  @Test
  void tlsAndToken_makeResetStep() {
    try (GrpcEnvFactory factory = factory(tls(ALICE)); Env env = factory.make("Pendulum-v1")) {
      env.reset(0L);
      StepResult step = env.step(BoxValue.of(0f));
      assertEquals(3, ((BoxValue) step.observation()).data().length);
    }
  }

  @Test
  void noToken_unauthenticatedNamesTheFix() {
    try (GrpcEnvFactory factory = factory(tls(null))) {
      EnvServerException e = assertThrows(EnvServerException.class, () -> factory.make("Pendulum-v1"));
      assertTrue(e.getMessage().contains("(UNAUTHENTICATED): this server needs a bearer token"), e.getMessage());
      assertTrue(e.getMessage().endsWith("--token-file FILE or GYMLINK_TOKEN"), e.getMessage());
    }
  }

  @Test
  void wrongToken_unauthenticated() {
    try (GrpcEnvFactory factory = factory(tls("wrong-token"))) {
      EnvServerException e = assertThrows(EnvServerException.class, () -> factory.make("Pendulum-v1"));
      assertTrue(e.getMessage().contains("the bearer token is not valid on this server"), e.getMessage());
      assertFalse(e.getMessage().contains("wrong-token"));
    }
  }

  @Test
  void plaintextClientToTlsServer_unavailable() {
    try (GrpcEnvFactory factory = factory(ClientSecurity.plaintext().withToken(ALICE))) {
      assertThrows(EnvServerUnavailableException.class, () -> factory.make("Pendulum-v1"));
    }
  }

  @Test
  void crossPrincipal_bobCannotStepAlicesInstance() {
    ManagedChannel alice = GrpcChannels.forAddress("127.0.0.1", server.port(), tls(ALICE));
    ManagedChannel bob = GrpcChannels.forAddress("127.0.0.1", server.port(), tls(BOB));
    try {
      String id = EnvServiceGrpc.newBlockingStub(alice).withDeadlineAfter(30, TimeUnit.SECONDS)
          .make(MakeRequest.newBuilder().setEnvId("Pendulum-v1").build()).getInstanceId();
      StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
          () -> EnvServiceGrpc.newBlockingStub(bob).withDeadlineAfter(30, TimeUnit.SECONDS)
              .step(StepRequest.newBuilder().setInstanceId(id).build()));
      assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
      assertEquals("instance '" + id + "' is not known to this server", e.getStatus().getDescription());
    } finally {
      alice.shutdownNow();
      bob.shutdownNow();
    }
  }

  @Test
  void http_tokenSentAsHeader_listsOnlyOwnInstances() {
    EnvTarget http = EnvTarget.parse(server.httpTarget());
    try (HttpEnvFactory alice = HttpEnvFactory.forTarget(http, ClientConfig.defaults(), ALICE);
        HttpEnvFactory bob = HttpEnvFactory.forTarget(http, ClientConfig.defaults(), BOB);
        HttpEnvFactory nobody = HttpEnvFactory.forTarget(http, ClientConfig.defaults());
        Env env = alice.make("CartPole-v1")) {
      env.reset(1L);
      assertFalse(alice.listAll().isEmpty());
      assertEquals(Map.of(), bob.listAll());
      EnvServerException e = assertThrows(EnvServerException.class, nobody::listAll);
      assertTrue(e.getMessage().contains("HTTP 401"), e.getMessage());
    }
  }

  @Test
  void http_tlsAsked_refusedBeforeConnecting() {
    assertThrows(io.gymlink.env.InvalidArgumentException.class,
        () -> EnvFactories.forServer(server.httpTarget(), ClientConfig.defaults(), tls(ALICE)));
  }

  @Test
  void mutualTls_clientCertificateRequired() {
    try (LocalEnvServer mtls = PythonEnvServer.startServer("--tls-cert", certs.server().toString(), "--tls-key",
        certs.serverKey().toString(), "--tls-client-ca", certs.ca().toString(), "--tokens", tokens.toString())) {
      EnvTarget target = EnvTarget.parse(mtls.target());
      try (GrpcEnvFactory without = GrpcEnvFactory.forTarget(target, ClientConfig.defaults(), tls(ALICE))) {
        assertThrows(EnvServerUnavailableException.class, () -> without.make("Pendulum-v1"));
      }
      ClientSecurity withCert = new ClientSecurity(true, certs.ca(), certs.client(), certs.clientKey(), ALICE);
      try (GrpcEnvFactory with = GrpcEnvFactory.forTarget(target, ClientConfig.defaults(), withCert);
          Env env = with.make("Pendulum-v1")) {
        env.reset(0L);
      }
    }
  }

  @Test
  void cli_tlsCaCertAndTokenFile_listWorks_withoutTokenOneLineError() throws Exception {
    Path tokenFile = Files.writeString(dir.resolve("alice.token"), "# my token\n" + ALICE + "\n");
    String[] common = {"list", "--server", server.target(), "--ca-cert", certs.ca().toString()};
    Run ok = run(concat(common, "--token-file", tokenFile.toString()));
    assertEquals(0, ok.code, ok.err);
    assertTrue(ok.out.contains("Pendulum-v1"), ok.out);
    Run refused = run(common);
    assertEquals(1, refused.code, refused.out);
    assertEquals(1, refused.err.strip().lines().count(), refused.err);
    assertTrue(refused.err.contains("UNAUTHENTICATED"), refused.err);
  }

  @Test
  void cli_securityFlagsWithoutServer_usageError() {
    Run run = run("list", "--tls");
    assertEquals(2, run.code);
    assertTrue(run.err.contains("--tls, --ca-cert, --client-cert and --token-file apply to --server"), run.err);
  }

  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = GymlinkCli.commandLine(false);
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return new Run(cli.execute(args), out.toString(), err.toString());
  }

  private static String[] concat(String[] first, String... more) {
    String[] all = java.util.Arrays.copyOf(first, first.length + more.length);
    System.arraycopy(more, 0, all, first.length, more.length);
    return all;
  }
}
