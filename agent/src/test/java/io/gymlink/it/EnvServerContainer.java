package io.gymlink.it;

import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.HealthCheck;
import io.gymlink.client.ClientConfig;
import io.gymlink.client.GrpcEnvFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.output.Slf4jLogConsumer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * The env-server image (envserver-adapter/Dockerfile) as a Testcontainers container, ready once Docker reports the
 * image's HEALTHCHECK (the gRPC health service) healthy.
 *
 * <p>It runs on the host's network and listens on 127.0.0.1 on a port picked here: that works on every Linux engine,
 * including the bridge-less ones bin/container-tests starts on CI machines, where port mapping is not available.
 * The image comes from the system property {@value #IMAGE_PROPERTY}; it must have been built (never pulled).
 */
public final class EnvServerContainer extends GenericContainer<EnvServerContainer> {

  /** The system property naming the image to test; bin/container-tests builds it. */
  public static final String IMAGE_PROPERTY = "gymlink.it.envserverImage";

  /** The system property naming the osim-rl variant (built with {@code EXTRAS=osim}). */
  public static final String OSIM_IMAGE_PROPERTY = "gymlink.it.osimImage";

  private static final String DEFAULT_IMAGE = "gymlink/envserver:test";
  private static final String DEFAULT_OSIM_IMAGE = "gymlink/envserver:osim-test";

  private static final long HEALTH_INTERVAL_NANOS = Duration.ofSeconds(1).toNanos();

  private final int port;
  private int httpPort;

  private EnvServerContainer(String image, int port, List<String> serverArgs) {
    super(DockerImageName.parse(image));
    this.port = port;
    withNetworkMode("host");
    withEnv("GYMLINK_HOST", "127.0.0.1");
    withEnv("GYMLINK_PORT", Integer.toString(port));
    withCommand(serverArgs.toArray(String[]::new));
    waitingFor(Wait.forHealthcheck().withStartupTimeout(Duration.ofSeconds(120)));
    // The image's own probe, run every second instead of every 5 s: the container is reported healthy sooner.
    withCreateContainerCmdModifier(cmd -> cmd.withHealthcheck(new HealthCheck().withInterval(HEALTH_INTERVAL_NANOS)));
    withLogConsumer(new Slf4jLogConsumer(LoggerFactory.getLogger("envserver-container:" + port)));
  }

  /** A container with the test environments ({@code --test-envs}) and any further server arguments. */
  public static EnvServerContainer withTestEnvs(String... moreServerArgs) {
    List<String> args = new ArrayList<>(List.of("--test-envs"));
    args.addAll(List.of(moreServerArgs));
    return new EnvServerContainer(requireLocalImage(), freeLoopbackPort(), args);
  }

  /** The osim-rl variant of the image (the challenge environments), with default server arguments. */
  public static EnvServerContainer osim() {
    return new EnvServerContainer(requireLocalImage(OSIM_IMAGE_PROPERTY, DEFAULT_OSIM_IMAGE, "EXTRAS=osim"),
        freeLoopbackPort(), List.of());
  }

  /**
   * A container that also serves the gym-http-api routes (the image's {@code GYMLINK_HTTP_PORT}) on another free
   * port, with the test environments.
   */
  public static EnvServerContainer withHttpAndTestEnvs() {
    EnvServerContainer container = withTestEnvs();
    container.httpPort = freeLoopbackPort();
    return container.withEnv("GYMLINK_HTTP_PORT", Integer.toString(container.httpPort));
  }

  /** {@code http://127.0.0.1:port} of the gym-http-api routes; only for {@link #withHttpAndTestEnvs()}. */
  public String httpTarget() {
    if (httpPort == 0) {
      throw new IllegalStateException("this container serves no HTTP routes; create it withHttpAndTestEnvs()");
    }
    return "http://127.0.0.1:" + httpPort;
  }

  /** {@code 127.0.0.1:port}, the address clients use. */
  public String target() {
    return "127.0.0.1:" + port;
  }

  /** A gRPC env factory for this server with the given deadlines. */
  public GrpcEnvFactory factory(ClientConfig config) {
    return GrpcEnvFactory.forTarget(target(), config);
  }

  /** The image under test, after checking that it exists locally (a missing one would otherwise be pulled). */
  static String requireLocalImage() {
    return requireLocalImage(IMAGE_PROPERTY, DEFAULT_IMAGE, null);
  }

  private static String requireLocalImage(String property, String defaultImage, String buildArg) {
    String image = System.getProperty(property, defaultImage);
    try {
      DockerClientFactory.instance().client().inspectImageCmd(image).exec();
    } catch (NotFoundException e) {
      throw new IllegalStateException("image " + image + " (system property " + property + ") is not built;"
          + " run bin/container-tests, or docker build" + (buildArg == null ? "" : " --build-arg " + buildArg)
          + " -t " + image + " envserver-adapter", e);
    }
    return image;
  }

  /** A port nobody listens on right now (the container binds it a moment later). */
  static int freeLoopbackPort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free loopback port: " + e.getMessage(), e);
    }
  }
}
