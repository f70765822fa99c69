"""GetServerInfo, ListEnvironments and what Make reports, for the real Gymnasium ids the Java side relies on."""

import platform

import gymnasium as gym
import numpy as np
import pytest
from conftest import TIMEOUT, make, reset, step, tensor_value

from gymlink_envserver import codec
from gymlink_envserver._proto.gymlink.v1 import env_service_pb2 as pb


def test_getServerInfo_reportsVersionsAndLimits(stub, server):
    info = stub.GetServerInfo(pb.GetServerInfoRequest(), timeout=TIMEOUT)
    assert info.protocol_version == "gymlink.v1/1.0"
    assert info.gymnasium_version == gym.__version__
    assert info.python_version == platform.python_version()
    assert info.server_version
    assert info.max_instances == server.config.max_instances
    assert info.idle_timeout_seconds == server.config.idle_timeout


def test_listEnvironments_sortedWithRegistrationDetails(stub):
    entries = stub.ListEnvironments(pb.ListEnvironmentsRequest(), timeout=TIMEOUT).environments
    ids = [e.env_id for e in entries]
    assert ids == sorted(ids)
    by_id = {e.env_id: e for e in entries}
    for env_id in ("Pendulum-v1", "CartPole-v1", "FrozenLake-v1", "Blackjack-v1", "MountainCarContinuous-v0",
                   "GymlinkTest/DictObs-v0", "GymlinkTest/Crash-v0"):
        assert env_id in by_id
    assert by_id["Pendulum-v1"].entry_point == gym.spec("Pendulum-v1").entry_point
    assert by_id["Pendulum-v1"].max_episode_steps == 200
    assert not by_id["GymlinkTest/Crash-v0"].HasField("max_episode_steps")
    assert "phys2d/CartPole-v0" not in by_id  # registered by Gymnasium, but needs jax: not on the default list


@pytest.mark.parametrize(("env_id", "observation_kind", "action_kind"), [
    ("Pendulum-v1", "box", "box"),
    ("CartPole-v1", "box", "discrete"),
    ("FrozenLake-v1", "discrete", "discrete"),
    ("Blackjack-v1", "tuple", "discrete"),
    ("MountainCarContinuous-v0", "box", "box"),
])
def test_make_realEnvironments_describeSpacesExactly(stub, env_id, observation_kind, action_kind):
    made = make(stub, env_id)
    local = gym.make(env_id)
    assert made.observation_space.WhichOneof("kind") == observation_kind
    assert made.action_space.WhichOneof("kind") == action_kind
    assert codec.decode_space(made.observation_space) == local.observation_space
    assert codec.decode_space(made.action_space) == local.action_space
    assert made.spec.env_id == env_id
    expected_limit = local.spec.max_episode_steps
    assert (made.spec.max_episode_steps if made.spec.HasField("max_episode_steps") else None) == expected_limit
    assert list(made.spec.render_modes) == local.metadata["render_modes"]


def test_make_specCarriesThresholdAndRewardRange(stub):
    spec = make(stub, "CartPole-v1").spec
    assert spec.reward_threshold == 475.0
    assert spec.reward_range_min == -np.inf and spec.reward_range_max == np.inf
    assert not spec.nondeterministic


def test_make_maxEpisodeStepsOverride_truncatesThere(stub):
    made = stub.Make(pb.MakeRequest(env_id="Pendulum-v1", max_episode_steps=3), timeout=TIMEOUT)
    assert made.spec.max_episode_steps == 3
    reset(stub, made.instance_id)
    outcomes = [step(stub, made.instance_id, tensor_value([0.0], np.float32)) for _ in range(3)]
    assert [(o.terminated, o.truncated) for o in outcomes] == [(False, False), (False, False), (False, True)]


def test_make_kwargs_reachTheEnvironment(stub):
    made = make(stub, "FrozenLake-v1", map_name="8x8", is_slippery=False)
    assert made.observation_space.discrete.n == 64


def test_reset_withoutSeed_keepsRng_andOptionsReachEnv(stub):
    made = make(stub, "GymlinkTest/DictObs-v0")
    first = reset(stub, made.instance_id, seed=None)
    assert codec.decode_json_map(first.info) == {"options": {}, "seed": None}
    request = pb.ResetRequest(instance_id=made.instance_id, options=codec.encode_json_map({"a": [1, 2]}))
    assert codec.decode_json_map(stub.Reset(request, timeout=TIMEOUT).info)["options"] == {"a": [1, 2]}


def test_step_dictObservation_decodesIntoSpace(stub):
    made = make(stub, "GymlinkTest/DictObs-v0")
    space = codec.decode_space(made.observation_space)
    observation = codec.decode_value(reset(stub, made.instance_id).observation)
    assert space.contains({k: (tuple(v) if isinstance(v, tuple) else v) for k, v in observation.items()})
    result = step(stub, made.instance_id, tensor_value(2))
    assert result.reward == 2.0
    assert space.contains(codec.decode_value(result.observation))
