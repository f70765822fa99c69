package io.gymlink.client;

import io.gymlink.env.Env;
import io.gymlink.env.EnvException;
import io.gymlink.env.EnvSpec;
import io.gymlink.env.ResetResult;
import io.gymlink.env.StepResult;
import io.gymlink.env.spaces.Space;
import io.gymlink.env.spaces.SpaceValue;
import io.gymlink.proto.v1.CloseRequest;
import io.gymlink.proto.v1.MakeRequest;
import io.gymlink.proto.v1.ResetRequest;
import io.gymlink.proto.v1.SessionRequest;
import io.gymlink.proto.v1.StepRequest;
import io.grpc.Channel;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A remote Gymnasium environment reached over one {@code gymlink.v1} session stream, used in lockstep.
 *
 * <p>The stream keeps the HTTP/2 connection and the server's per-call setup out of every step, which makes it the
 * fast path (see the README's transport benchmark). The instance belongs to the stream: if this process dies, the
 * server closes it. Actions are checked against the action space before they are sent; every request has the
 * deadline of its {@link ClientConfig}. Not thread-safe.
 */
public final class GrpcEnv implements Env {

  private static final Logger log = LoggerFactory.getLogger(GrpcEnv.class);

  private final LockstepSession session;
  private final RemoteInstance instance;
  private final ClientConfig config;
  private boolean closed;

  private GrpcEnv(LockstepSession session, RemoteInstance instance, ClientConfig config) {
    this.session = session;
    this.instance = instance;
    this.config = config;
  }

  /**
   * Opens a session on {@code channel} and makes an environment in it.
   *
   * @param channel a channel to an env server (the caller owns it)
   * @param target the server address for messages, e.g. {@code 127.0.0.1:50051}
   * @param make what to make (id, kwargs, time limit, action repeat), e.g. from {@link GrpcEnvFactory#make}
   * @param config deadlines
   * @throws EnvException if the server cannot be reached or refuses the environment
   */
  public static GrpcEnv make(Channel channel, String target, MakeRequest make, ClientConfig config) {
    String envId = make.getEnvId();
    SessionRequest.Builder request = SessionRequest.newBuilder().setMake(make);
    LockstepSession session = new LockstepSession(channel);
    try {
      var answer = session.call(request, new CallContext(target, "make", envId, null, config.makeTimeout()));
      RemoteInstance instance = RemoteInstance.of(target, make, answer.getMake());
      log.debug("made '{}' as instance {} on {} (session stream)", envId, instance.instanceId(), target);
      return new GrpcEnv(session, instance, config);
    } catch (RuntimeException e) {
      session.close();
      throw e;
    }
  }

  @Override
  public ResetResult reset(Long seed, Map<String, Object> options) {
    ResetRequest.Builder reset = ResetRequest.newBuilder()
        .setInstanceId(instance.instanceId())
        .setOptions(RemoteInstance.json(options, instance.envId(), "reset options"));
    if (seed != null) {
      reset.setSeed(seed);
    }
    var answer = call(SessionRequest.newBuilder().setReset(reset), "reset");
    return instance.decodeReset(answer.getReset());
  }

  @Override
  public StepResult step(SpaceValue action) {
    StepRequest step =
        StepRequest.newBuilder().setInstanceId(instance.instanceId()).setAction(instance.encodeAction(action)).build();
    var answer = call(SessionRequest.newBuilder().setStep(step), "step");
    return instance.decodeStep(answer.getStep());
  }

  @Override
  public Space observationSpace() {
    return instance.observationSpace();
  }

  @Override
  public Space actionSpace() {
    return instance.actionSpace();
  }

  @Override
  public EnvSpec spec() {
    return instance.spec();
  }

  /** The server's id for this environment instance. */
  public String instanceId() {
    return instance.instanceId();
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (session.isUsable()) {
      try {
        // Close explicitly and wait, so that the server has freed the instance (and its slot) when we return.
        session.call(SessionRequest.newBuilder().setClose(CloseRequest.newBuilder()
            .setInstanceId(instance.instanceId())), instance.context("close", config.callTimeout()));
      } catch (EnvException e) {
        log.debug("closing '{}' (instance {}) failed; ending the session instead: {}", instance.envId(),
            instance.instanceId(), e.getMessage());
      }
    }
    session.close();
  }

  @Override
  public String toString() {
    return "GrpcEnv('" + instance.envId() + "', instance " + instance.instanceId() + " at " + instance.target() + ")";
  }

  private io.gymlink.proto.v1.SessionResponse call(SessionRequest.Builder request, String operation) {
    if (closed) {
      throw new EnvException(operation + " on '" + instance.envId() + "' (instance " + instance.instanceId()
          + "): the environment is closed");
    }
    return session.call(request, instance.context(operation, config.callTimeout()));
  }
}
