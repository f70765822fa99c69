"""Every error of the STYLE.md table, pinned by status code and message, against a real server over a socket."""

import re
import sys

import grpc
import gymnasium as gym
import numpy as np
import pytest
from conftest import TIMEOUT, make, reset, start_server, step, tensor_value
from gymnasium import spaces

from gymlink_envserver._proto.gymlink.v1 import env_service_pb2 as pb
from gymlink_envserver._proto.gymlink.v1 import env_service_pb2_grpc as pb_grpc
from gymlink_envserver.registry import Allowlist, parse_allow


def assert_status(call, code: grpc.StatusCode, pattern: str) -> grpc.RpcError:
    with pytest.raises(grpc.RpcError) as caught:
        call()
    assert caught.value.code() == code, caught.value.details()
    assert re.search(pattern, caught.value.details()), caught.value.details()
    assert "Traceback" not in caught.value.details()
    return caught.value


@pytest.fixture()
def pendulum(stub):
    made = make(stub, "Pendulum-v1")
    reset(stub, made.instance_id)
    yield made.instance_id
    stub.Close(pb.CloseRequest(instance_id=made.instance_id), timeout=TIMEOUT)


def test_make_unknownId_notFoundWithSuggestion(stub):
    assert_status(lambda: make(stub, "Pendulm-v1"), grpc.StatusCode.NOT_FOUND,
                  # With MuJoCo installed, InvertedPendulum ids follow as further suggestions.
                  r"^environment 'Pendulm-v1' is not registered; did you mean 'Pendulum-v1'( or '[^']+')*\?$")


def test_make_unknownIdWithoutNeighbour_notFoundWithoutSuggestion(stub):
    assert_status(lambda: make(stub, "Zzzzqqq-v9"), grpc.StatusCode.NOT_FOUND,
                  r"^environment 'Zzzzqqq-v9' is not registered$")


def test_make_registeredButNotAllowed_permissionDeniedNamingAllowFlag(stub):
    env_id = "phys2d/CartPole-v0"  # registered by Gymnasium, needs jax, not on the default allowlist
    assert env_id in gym.registry
    assert_status(lambda: make(stub, env_id), grpc.StatusCode.PERMISSION_DENIED,
                  r"^environment 'phys2d/CartPole-v0' is registered but not allowed on this server; "
                  r"start the server with --allow phys2d/CartPole-v0 to permit it$")


@pytest.mark.parametrize(("env_id", "module", "extra"), [
    ("LunarLanderContinuous-v3", "Box2D", "box2d"),
    ("BipedalWalker-v3", "Box2D", "box2d"),
    ("HalfCheetah-v5", "mujoco", "mujoco"),
])
def test_make_dependencyNotInstalled_failedPreconditionNamingPackageAndExtra(monkeypatch, env_id, module, extra):
    # A server started while the module is not importable (as in a venv without the extra): the message names the
    # package and the extra, not the allowlist.
    monkeypatch.setitem(sys.modules, module, None)
    server = start_server()
    try:
        with grpc.insecure_channel(server.target) as channel:
            error = assert_status(
                lambda: make(pb_grpc.EnvServiceStub(channel), env_id), grpc.StatusCode.FAILED_PRECONDITION,
                rf"^environment '{env_id}' needs the Python package '{module}', which is not installed where this "
                rf"env server runs; install it with: pip install 'gymlink-envserver\[{extra}\]'$")
            assert "--allow" not in error.details()
    finally:
        server.stop(0)


def test_make_dependencyMissingAtMake_failedPreconditionNamingExtra(monkeypatch):
    # Allowed with its module importable, but gymnasium.make finds a dependency missing (e.g. pygame for Box2D).
    def missing(*_args, **_kwargs):
        raise gym.error.DependencyNotInstalled('pygame is not installed, run `pip install "gymnasium[box2d]"`')

    monkeypatch.setattr(gym, "make", missing)
    server = start_server()
    try:
        with grpc.insecure_channel(server.target) as channel:
            assert_status(lambda: make(pb_grpc.EnvServiceStub(channel), "LunarLanderContinuous-v3"),
                          grpc.StatusCode.FAILED_PRECONDITION,
                          r"^environment 'LunarLanderContinuous-v3' needs a package that is not installed: pygame is"
                          r" not installed, .*; install it with: pip install 'gymlink-envserver\[box2d\]'$")
    finally:
        server.stop(0)


def test_allowlist_defaultInstall_servesBox2dAndMujocoIds():
    # bin/bootstrap installs the box2d and mujoco extras, so these are served without --allow.
    ids = Allowlist.build().ids()
    for env_id in ("LunarLanderContinuous-v3", "BipedalWalker-v3", "HalfCheetah-v5", "Hopper-v5", "Walker2d-v5"):
        assert env_id in ids


def test_make_entryPointString_permissionDenied(stub):
    assert_status(lambda: make(stub, "os:system"), grpc.StatusCode.PERMISSION_DENIED,
                  r"^entry point 'os:system' is not allowed on this server: it would import arbitrary code; "
                  r"start the server with --allow os:system to permit it$")


def test_make_badKwargs_invalidArgumentNamingEnv(stub):
    assert_status(lambda: make(stub, "Pendulum-v1", no_such_kwarg=1), grpc.StatusCode.INVALID_ARGUMENT,
                  r"^kwarg 'no_such_kwarg' is not allowed for 'Pendulum-v1' \(allowed: render_mode, g\); "
                  r"the server's --kwargs-policy file can allow more$")


def test_make_nonPositiveMaxEpisodeSteps_invalidArgument(stub):
    request = pb.MakeRequest(env_id="Pendulum-v1", max_episode_steps=0)
    assert_status(lambda: stub.Make(request, timeout=TIMEOUT), grpc.StatusCode.INVALID_ARGUMENT,
                  r"^max_episode_steps for 'Pendulum-v1' is 0, expected > 0$")


@pytest.mark.parametrize(("action", "pattern"), [
    (tensor_value([0.1, 0.2, 0.3], np.float32), r"^action for 'Pendulum-v1' has shape \[3\], expected \[1\]$"),
    (tensor_value([np.nan], np.float32), r"^action for 'Pendulum-v1' is NaN at index 0$"),
    (tensor_value([3.5], np.float32),
     r"^action for 'Pendulum-v1' has 3\.5 at index 0, above the upper bound 2\.0$"),
    (tensor_value([-2.5], np.float64),
     r"^action for 'Pendulum-v1' has -2\.5 at index 0, below the lower bound -2\.0$"),
    (pb.Value(tuple=pb.ValueList(items=[tensor_value([0.0], np.float32)])),
     r"^action for 'Pendulum-v1' is a Tuple value of 1 items, expected a Box value of shape \[1\]$"),
    (pb.Value(tensor=pb.Tensor(dtype=pb.FLOAT32, shape=[1], data=b"\0\0")),
     r"^tensor of shape \[1\] and dtype float32 has 2 data bytes, expected 4$"),
    (pb.Value(), r"^value is empty, expected a tensor, tuple or dict$"),
], ids=["shape", "nan", "above", "below", "kind", "bytes", "empty"])
def test_step_badBoxAction_invalidArgument(stub, pendulum, action, pattern):
    assert_status(lambda: step(stub, pendulum, action), grpc.StatusCode.INVALID_ARGUMENT, pattern)


@pytest.mark.parametrize(("action", "pattern"), [
    (tensor_value(2), r"^action for 'CartPole-v1' is 2, expected an integer in \[0, 1\]$"),
    (tensor_value(1.0), r"^action for 'CartPole-v1' has dtype float64, expected an integer dtype such as int64$"),
    (tensor_value([1]), r"^action for 'CartPole-v1' has shape \[1\], expected a scalar \[\] in \[0, 1\]$"),
], ids=["range", "dtype", "shape"])
def test_step_badDiscreteAction_invalidArgument(stub, action, pattern):
    made = make(stub, "CartPole-v1")
    reset(stub, made.instance_id)
    assert_status(lambda: step(stub, made.instance_id, action), grpc.StatusCode.INVALID_ARGUMENT, pattern)


def test_step_badNestedAction_namesItemAndEntry(stub):
    made = make(stub, "GymlinkTest/CompositeAction-v0")
    reset(stub, made.instance_id)
    action = pb.Value(tuple=pb.ValueList(items=[
        tensor_value([1, 2]), tensor_value([0, 1, 0, 1], np.int8),
        pb.Value(dict=pb.ValueMap(entries={"x": tensor_value([0.5, 1.5], np.float32)}))]))
    assert_status(lambda: step(stub, made.instance_id, action), grpc.StatusCode.INVALID_ARGUMENT,
                  r"^action for 'GymlinkTest/CompositeAction-v0' item 2 entry 'x' has 1\.5 at index 1, "
                  r"above the upper bound 1\.0$")


def test_step_beforeReset_failedPrecondition(stub):
    made = make(stub, "Pendulum-v1")
    assert_status(lambda: step(stub, made.instance_id, tensor_value([0.0], np.float32)),
                  grpc.StatusCode.FAILED_PRECONDITION,
                  rf"^instance '{made.instance_id}' of 'Pendulum-v1' needs reset: reset\(\) has not been called yet$")


def test_step_afterTermination_failedPrecondition(stub):
    made = make(stub, "GymlinkTest/CompositeAction-v0")
    reset(stub, made.instance_id)
    action = pb.Value(tuple=pb.ValueList(items=[
        tensor_value([1, 2]), tensor_value([0, 1, 0, 1], np.int8),
        pb.Value(dict=pb.ValueMap(entries={"x": tensor_value([0.5, -0.5], np.float32)}))]))
    outcomes = [step(stub, made.instance_id, action) for _ in range(5)]
    assert [o.terminated for o in outcomes] == [False] * 4 + [True]
    assert not any(o.truncated for o in outcomes)
    assert_status(lambda: step(stub, made.instance_id, action), grpc.StatusCode.FAILED_PRECONDITION,
                  r"needs reset: the episode ended \(terminated\)$")


def test_step_unknownInstance_notFound(stub):
    assert_status(lambda: step(stub, "nope", tensor_value([0.0], np.float32)), grpc.StatusCode.NOT_FOUND,
                  r"^instance 'nope' is not known to this server$")


def test_step_closedInstance_notFoundSayingClosed(stub):
    made = make(stub, "Pendulum-v1")
    stub.Close(pb.CloseRequest(instance_id=made.instance_id), timeout=TIMEOUT)
    assert_status(lambda: reset(stub, made.instance_id), grpc.StatusCode.NOT_FOUND,
                  rf"^instance '{made.instance_id}' of 'Pendulum-v1' was closed by the client$")


def test_step_envRaises_internalWithoutTraceback_serverKeepsServing(stub):
    made = make(stub, "GymlinkTest/Crash-v0")
    reset(stub, made.instance_id)
    action = tensor_value([0.0], np.float32)
    step(stub, made.instance_id, action)
    step(stub, made.instance_id, action)
    assert_status(lambda: step(stub, made.instance_id, action), grpc.StatusCode.INTERNAL,
                  rf"^environment 'GymlinkTest/Crash-v0' \(instance {made.instance_id}\) raised "
                  r"RuntimeError: simulated crash$")
    assert_status(lambda: step(stub, made.instance_id, action), grpc.StatusCode.FAILED_PRECONDITION,
                  r"needs reset: the previous step raised an exception$")
    reset(stub, made.instance_id)
    assert step(stub, made.instance_id, action).reward == 0.0


def test_step_deadlinePassed_deadlineExceeded_serverKeepsServing(stub):
    made = make(stub, "GymlinkTest/Slow-v0", step_seconds=0.5)
    reset(stub, made.instance_id)
    assert_status(lambda: step(stub, made.instance_id, tensor_value([0.0], np.float32), timeout=0.1),
                  grpc.StatusCode.DEADLINE_EXCEEDED, r"Deadline Exceeded")
    info = stub.GetServerInfo(pb.GetServerInfoRequest(), timeout=TIMEOUT)
    assert info.protocol_version == "gymlink.v1/1.0"


def test_stepBatch_oneBadAction_nothingStepsAndMessageNamesIt(stub):
    ids = [make(stub, "GymlinkTest/DictObs-v0").instance_id for _ in range(2)]
    for instance_id in ids:
        reset(stub, instance_id)
    batch = pb.StepBatchRequest(steps=[pb.StepRequest(instance_id=ids[0], action=tensor_value(1)),
                                       pb.StepRequest(instance_id=ids[1], action=tensor_value(9))])
    assert_status(lambda: stub.StepBatch(batch, timeout=TIMEOUT), grpc.StatusCode.INVALID_ARGUMENT,
                  r"^action for 'GymlinkTest/DictObs-v0' is 9, expected an integer in \[0, 2\]$")
    first = step(stub, ids[0], tensor_value(1))
    assert first.info.fields["steps"].int_value == 1  # the failed batch did not step it


def test_stepBatch_duplicateIds_invalidArgument(stub):
    made = make(stub, "CartPole-v1")
    reset(stub, made.instance_id)
    one = pb.StepRequest(instance_id=made.instance_id, action=tensor_value(0))
    assert_status(lambda: stub.StepBatch(pb.StepBatchRequest(steps=[one, one]), timeout=TIMEOUT),
                  grpc.StatusCode.INVALID_ARGUMENT,
                  rf"^step_batch names 1 instance\(s\) more than once \('{made.instance_id}'\), expected distinct ids$")


class TextObsEnv(gym.Env):
    """An environment whose observation space the protocol cannot carry."""

    def __init__(self):
        self.observation_space = spaces.Text(5)
        self.action_space = spaces.Discrete(2)


def test_make_unsupportedSpace_unimplementedNamingSpace_andNoInstanceLeft():
    gym.register("GymlinkTestOnly/TextObs-v0", entry_point=TextObsEnv)
    server = start_server(allowlist=Allowlist(["GymlinkTestOnly/TextObs-v0"]))
    try:
        with grpc.insecure_channel(server.target) as channel:
            stub = pb_grpc.EnvServiceStub(channel)
            assert_status(lambda: make(stub, "GymlinkTestOnly/TextObs-v0"), grpc.StatusCode.UNIMPLEMENTED,
                          r"^the observation space of 'GymlinkTestOnly/TextObs-v0' is Text\(1, 5, .*\); "
                          r"Text\(.*\) is not supported by gymlink\.v1 \(supported: Box, Discrete, MultiDiscrete, "
                          r"MultiBinary, Tuple, Dict\)$")
        assert len(server.table) == 0
    finally:
        server.stop(0)
        gym.registry.pop("GymlinkTestOnly/TextObs-v0")


def test_make_beyondInstanceLimit_resourceExhausted():
    server = start_server(max_instances=2)
    try:
        with grpc.insecure_channel(server.target) as channel:
            stub = pb_grpc.EnvServiceStub(channel)
            first = make(stub, "CartPole-v1")
            make(stub, "CartPole-v1")
            assert_status(lambda: make(stub, "Pendulum-v1"), grpc.StatusCode.RESOURCE_EXHAUSTED,
                          r"^cannot make 'Pendulum-v1': the server holds 2 instances, its limit \(--max-instances\) "
                          r"is 2; close instances first$")
            stub.Close(pb.CloseRequest(instance_id=first.instance_id), timeout=TIMEOUT)
            make(stub, "Pendulum-v1")
    finally:
        server.stop(0)


def test_make_allowedEntryPoint_isMade():
    entry = "gymlink_envserver.testing_envs:CrashEnv"
    server = start_server(test_envs=False, allow=(entry,))
    try:
        with grpc.insecure_channel(server.target) as channel:
            stub = pb_grpc.EnvServiceStub(channel)
            made = make(stub, entry)
            assert made.spec.env_id == entry
            assert made.action_space.box.shape == [1]
            listed = stub.ListEnvironments(pb.ListEnvironmentsRequest(), timeout=TIMEOUT).environments
            assert entry in [e.env_id for e in listed]
    finally:
        server.stop(0)


@pytest.mark.parametrize(("text", "expected"), [
    ("", []), ("A-v0, B-v1,,A-v0", ["A-v0", "B-v1"]), ("pkg.mod:Env", ["pkg.mod:Env"])])
def test_parseAllow_valid(text, expected):
    assert parse_allow(text) == expected


@pytest.mark.parametrize(("text", "pattern"), [
    ("a:b:c", r"^--allow entry 'a:b:c' is not a valid entry point, expected module:Class$"),
    ("mod:", r"^--allow entry 'mod:' is not a valid entry point"),
])
def test_parseAllow_malformedEntryPoint_raises(text, pattern):
    from gymlink_envserver.errors import InvalidArgument

    with pytest.raises(InvalidArgument, match=pattern):
        parse_allow(text)


def test_make_allowedButUnregisteredId_notFound():
    server = start_server(test_envs=False, allow=("Nonexistent-v3",))
    try:
        with grpc.insecure_channel(server.target) as channel:
            stub = pb_grpc.EnvServiceStub(channel)
            assert_status(lambda: make(stub, "Nonexistent-v3"), grpc.StatusCode.NOT_FOUND,
                          r"^environment 'Nonexistent-v3' is allowed but cannot be found: .*Nonexistent")
            assert_status(lambda: make(stub, "Nonexistent-v4"), grpc.StatusCode.NOT_FOUND,
                          r"^environment 'Nonexistent-v4' is not registered; did you mean 'Nonexistent-v3'\?$")
    finally:
        server.stop(0)


def test_make_allowedModuleColonId_usesGymnasiumImportSemantics():
    env_id = "gymlink_envserver.testing_envs:GymlinkTest/Crash-v0"
    from gymlink_envserver import testing_envs

    testing_envs.register()
    server = start_server(test_envs=False, allow=(env_id, "no_such_module_xyz:Env"))
    try:
        with grpc.insecure_channel(server.target) as channel:
            stub = pb_grpc.EnvServiceStub(channel)
            assert make(stub, env_id).action_space.box.shape == [1]
            assert_status(lambda: make(stub, "no_such_module_xyz:Env"), grpc.StatusCode.NOT_FOUND,
                          r"^entry point 'no_such_module_xyz:Env' cannot be loaded: No module named")
    finally:
        server.stop(0)
