"""The client-kwargs policy: which kwargs make accepts per environment, with bounds, checked before anything is made.

Regressions for issue 9, defect 3: an 800x800 FrozenLake desc took 1.25 GB and 11 s to make, a MuJoCo frame_skip
of 2**31-1 made one step run ~18 h, xml_file opened any path the client named, and Pendulum's g="str" was accepted
at make and failed at the first step.
"""

import json
import os
import shutil
from pathlib import Path

import grpc
import numpy as np
import pytest
from conftest import TIMEOUT, make, reset, start_server, step, tensor_value

from gymlink_envserver._proto.gymlink.v1 import env_service_pb2 as pb
from gymlink_envserver._proto.gymlink.v1 import env_service_pb2_grpc as pb_grpc
from gymlink_envserver.errors import InvalidArgument
from gymlink_envserver.http_api import create_app
from gymlink_envserver.http_sessions import OpenSessions
from gymlink_envserver.instances import InstanceTable
from gymlink_envserver.kwargs_policy import KwargsPolicy
from gymlink_envserver.registry import Allowlist

POLICY = KwargsPolicy.load(None)


@pytest.mark.parametrize(("env_id", "kwargs", "expected"), [
    ("Pendulum-v1", {"g": 9}, {"g": 9.0}),
    ("Pendulum-v1", {"g": 0.0, "render_mode": "rgb_array"}, {"g": 0.0, "render_mode": "rgb_array"}),
    ("CartPole-v1", {"sutton_barto_reward": True}, {"sutton_barto_reward": True}),
    ("FrozenLake-v1", {"desc": ["SF", "HG"], "is_slippery": False}, {"desc": ["SF", "HG"], "is_slippery": False}),
    ("FrozenLake-v1", {"map_name": "8x8"}, {"map_name": "8x8"}),
    ("Hopper-v5", {"healthy_z_range": [0.7, float("inf")]}, {"healthy_z_range": (0.7, float("inf"))}),
    ("Ant-v5", {"frame_skip": 20, "reset_noise_scale": 0}, {"frame_skip": 20, "reset_noise_scale": 0.0}),
    ("LunarLander-v3", {"gravity": -9.8, "enable_wind": True}, {"gravity": -9.8, "enable_wind": True}),
    ("Taxi-v4", {"rainy_probability": 1}, {"rainy_probability": 1.0}),
])
def test_check_allowedValues_convertedForTheConstructor(env_id, kwargs, expected):
    assert POLICY.check(env_id, kwargs) == expected


@pytest.mark.parametrize(("env_id", "kwargs", "message"), [
    ("Pendulum-v1", {"g": "str"}, "kwarg 'g' for 'Pendulum-v1' is 'str', expected a number in [0, 100]"),
    ("Pendulum-v1", {"g": float("nan")}, "kwarg 'g' for 'Pendulum-v1' is nan, expected a number in [0, 100]"),
    ("Pendulum-v1", {"g": True}, "kwarg 'g' for 'Pendulum-v1' is True, expected a number in [0, 100]"),
    ("Pendulum-v1", {"g": 1e300}, "kwarg 'g' for 'Pendulum-v1' is 1e+300, expected a number in [0, 100]"),
    ("Ant-v5", {"frame_skip": 2147483647},
     "kwarg 'frame_skip' for 'Ant-v5' is 2147483647, expected an integer in [1, 20]"),
    ("Ant-v5", {"frame_skip": 2.5}, "kwarg 'frame_skip' for 'Ant-v5' is 2.5, expected an integer in [1, 20]"),
    ("Ant-v5", {"xml_file": "/etc/passwd"},
     "kwarg 'xml_file' for 'Ant-v5' is '/etc/passwd', expected no path: clients may not name server files unless "
     "--kwargs-policy allows a directory"),
    ("Ant-v5", {"default_camera_config": {"distance": 1}},
     "kwarg 'default_camera_config' is not allowed for 'Ant-v5'"),
    ("Taxi-v4", {"is_rainy": 1}, "kwarg 'is_rainy' for 'Taxi-v4' is 1, expected true or false"),
    ("Hopper-v5", {"healthy_z_range": [0.7]},
     "kwarg 'healthy_z_range' for 'Hopper-v5' is [0.7], expected a list of 2 numbers"),
    ("Hopper-v5", {"healthy_z_range": [0.7, float("nan")]}, "kwarg 'healthy_z_range' for 'Hopper-v5' is [0.7, nan]"),
    ("FrozenLake-v1", {"desc": ["SFX", "HGF"]}, "kwarg 'desc' for 'FrozenLake-v1' is ['SFX', 'HGF'], expected a list"),
    ("FrozenLake-v1", {"desc": ["FF", "HG"]}, "containing 'SG'"),
    ("FrozenLake-v1", {"desc": ["SF", "HGF"]}, "equal-length strings"),
    ("FrozenLake-v1", {"map_name": "64x64"}, "kwarg 'map_name' for 'FrozenLake-v1' is '64x64', expected one of "),
    ("Acrobot-v1", {"book_or_nips": "nips"}, "kwarg 'book_or_nips' is not allowed for 'Acrobot-v1' (allowed: "
                                              "render_mode); the server's --kwargs-policy file can allow more"),
    ("my_pkg.envs:MyEnv", {"size": 3}, "kwarg 'size' is not allowed for 'my_pkg.envs:MyEnv' (allowed: render_mode)"),
    ("L2M2019Env", {"osim_class": "ProstheticsEnv"}, "kwarg 'osim_class' is not allowed for 'L2M2019Env'"),
])
def test_check_refusedValues_invalidArgumentNamingKwargAndBounds(env_id, kwargs, message):
    with pytest.raises(InvalidArgument) as caught:
        POLICY.check(env_id, kwargs)
    assert caught.value.message.startswith(f"kwarg '{next(iter(kwargs))}'"), caught.value.message
    assert message in caught.value.message and len(caught.value.message) < 300, caught.value.message


def test_check_hugeFrozenLakeDesc_refusedBeforeMaking_messageShort(stub):
    desc = ["S" + "F" * 798 + "G"] * 800  # 640 KB: 1.25 GB and 11.5 s to make before the policy
    with pytest.raises(grpc.RpcError) as caught:
        make(stub, "FrozenLake-v1", desc=desc)
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert caught.value.details().startswith("kwarg 'desc' for 'FrozenLake-v1' is ['SFFFFF")
    assert len(caught.value.details()) < 300


def test_make_pendulumStringGravity_refusedAtMakeNotAtFirstStep(stub):
    with pytest.raises(grpc.RpcError) as caught:
        make(stub, "Pendulum-v1", g="str")
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    made = make(stub, "Pendulum-v1", g=3)
    reset(stub, made.instance_id)
    step(stub, made.instance_id, tensor_value([0.0], np.float32))
    stub.Close(pb.CloseRequest(instance_id=made.instance_id), timeout=TIMEOUT)


def test_http_refusedKwarg_400WithSameMessage():
    table = InstanceTable(Allowlist.build(test_envs=True), max_instances=4)
    api = create_app(OpenSessions(table)).test_client()
    answer = api.post("/v1/envs/", json={"env_id": "Pendulum-v1", "kwargs": {"g": "str"}})
    assert answer.status_code == 400
    assert answer.json["message"] == "kwarg 'g' for 'Pendulum-v1' is 'str', expected a number in [0, 100]"
    assert len(table) == 0


def test_mujoco_xmlFile_refusedWhetherOrNotTheFileExists_noLogWritten(stub, tmp_path, monkeypatch):
    pytest.importorskip("mujoco", reason="needs the [mujoco] extra (bin/test installs it)")
    monkeypatch.chdir(tmp_path)
    messages = []
    for path in ("/etc/passwd", "/no/such/file.xml"):
        with pytest.raises(grpc.RpcError) as caught:
            make(stub, "Ant-v5", xml_file=path)
        assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
        messages.append(caught.value.details().replace(path, "PATH"))
    assert messages[0] == messages[1], "the answer must not tell which files exist"
    assert not (tmp_path / "MUJOCO_LOG.TXT").exists()


def write_policy(tmp_path: Path, policy: dict) -> str:
    path = tmp_path / "policy.json"
    path.write_text(json.dumps(policy))
    return str(path)


def test_policyFile_pathUnderAllowedDirectory_makesMujocoEnv(tmp_path):
    mujoco_assets = pytest.importorskip("gymnasium.envs.mujoco", reason="needs MuJoCo").__file__
    pytest.importorskip("mujoco", reason="needs the [mujoco] extra (bin/test installs it)")
    models = tmp_path / "models"
    models.mkdir()
    shutil.copy(Path(mujoco_assets).parent / "assets" / "inverted_pendulum.xml", models)
    policy = write_policy(tmp_path, {"InvertedPendulum": {"xml_file": {"type": "path", "under": [str(models)]}}})
    server = start_server(kwargs_policy=policy)
    try:
        with grpc.insecure_channel(server.target) as channel:
            stub = pb_grpc.EnvServiceStub(channel)
            made = make(stub, "InvertedPendulum-v5", xml_file=str(models / "inverted_pendulum.xml"))
            reset(stub, made.instance_id)
            outside = str(models / ".." / "elsewhere.xml")
            with pytest.raises(grpc.RpcError) as caught:
                make(stub, "InvertedPendulum-v5", xml_file=outside)
            assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
            assert f"expected a path under {models}" in caught.value.details()
    finally:
        server.stop(0)


def test_policyFile_extendsAndOverridesDefaults(tmp_path):
    policy = KwargsPolicy.load(write_policy(tmp_path, {
        "Pendulum": {"g": {"type": "float", "min": 0, "max": 5}},
        "my_pkg.envs:MyEnv": {"size": {"type": "int", "min": 1, "max": 8}},
    }))
    assert policy.check("my_pkg.envs:MyEnv", {"size": 8}) == {"size": 8}
    with pytest.raises(InvalidArgument, match=r"^kwarg 'g' for 'Pendulum-v1' is 9, expected a number in \[0, 5\]$"):
        policy.check("Pendulum-v1", {"g": 9})
    assert POLICY.check("Pendulum-v1", {"g": 9}) == {"g": 9.0}, "the default policy is untouched"


def test_policyFile_valueTheConstructorRefuses_invalidArgumentNotInternal(tmp_path):
    policy = write_policy(tmp_path, {"GymlinkTest/Slow": {"step_seconds": {"type": "float", "min": -5, "max": 5}}})
    server = start_server(kwargs_policy=policy)
    try:
        with grpc.insecure_channel(server.target) as channel:
            with pytest.raises(grpc.RpcError) as caught:
                make(pb_grpc.EnvServiceStub(channel), "GymlinkTest/Slow-v0", step_seconds=-1)
        assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
        assert caught.value.details() == ("cannot make 'GymlinkTest/Slow-v0' with kwargs {'step_seconds': -1.0}: "
                                          "ValueError: step_seconds is -1.0, expected >= 0")
    finally:
        server.stop(0)


@pytest.mark.parametrize(("content", "message"), [
    ("not json", "Expecting value"),
    ("[]", "expected a JSON object of environments"),
    ('{"Pendulum": {"g": {"type": "complex"}}}', "kwarg rule kind is 'complex'"),
    ('{"Pendulum": {"g": {"type": "float", "maximum": 3}}}', "unknown field(s) ['maximum']"),
    ('{"Pendulum": {"g": 3}}', "expected an object with a \"type\""),
])
def test_policyFile_malformed_valueErrorNamingFileAndEntry(tmp_path, content, message):
    path = tmp_path / "policy.json"
    path.write_text(content)
    with pytest.raises(ValueError) as caught:
        KwargsPolicy.load(path)
    assert str(caught.value).startswith(f"kwargs policy {path}") and message in str(caught.value), caught.value


def test_cli_malformedPolicyFile_usageErrorExit2(tmp_path, capsys):
    from gymlink_envserver.cli import main

    path = tmp_path / "policy.json"
    path.write_text("[]")
    with pytest.raises(SystemExit) as caught:
        main(["--port", "0", "--kwargs-policy", str(path)])
    assert caught.value.code == 2
    assert "expected a JSON object of environments" in capsys.readouterr().err
    assert os.path.exists(path)
