"""The SB3 side of bin/bench-learning --sb3 (scripts/sb3_learning.py): config mapping and gymlink's evaluation.

SB3 and torch live only in the benchmark venv; these parts of the script need neither, so they are tested here.
"""

import importlib.util
import json
from pathlib import Path

import gymnasium as gym
import numpy as np
import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "sb3_learning.py"
_spec = importlib.util.spec_from_file_location("sb3_learning", SCRIPT)
sb3_learning = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(sb3_learning)

# What `bin/gymlink train --env Pendulum-v1 --print-config` prints (keys as today).
PENDULUM = {
    "envId": "Pendulum-v1", "algo": "ddpg", "totalTimesteps": 20000, "seed": 0, "evalFreq": 2000, "evalEpisodes": 10,
    "checkpointFreq": 5000, "saveReplayBuffer": "auto", "logInterval": 1000, "maxEpisodeSteps": None,
    "bufferSize": 200000, "learningStarts": 10000, "trainFreq": 1, "gradientSteps": 1, "actionNoise": "NORMAL",
    "actionNoiseSigma": 0.1, "normalizeObservations": False, "learningRate": 0.001, "batchSize": 256, "tau": 0.005,
    "gamma": 0.98, "netArch": [400, 300], "activation": "relu", "twinCritics": False, "policyDelay": 1,
    "targetPolicyNoise": 0.0, "targetNoiseClip": 0.5,
}


def test_sb3Arguments_ddpg_mapsEveryKeyToSb3sName():
    assert sb3_learning.sb3_arguments(PENDULUM) == {
        "learning_rate": 0.001, "buffer_size": 200000, "learning_starts": 10000, "batch_size": 256, "tau": 0.005,
        "gamma": 0.98, "train_freq": 1, "gradient_steps": 1, "action_noise": ("NORMAL", 0.1), "policy_delay": 1,
        "target_policy_noise": 0.0, "target_noise_clip": 0.5,
        "policy_kwargs": {"net_arch": [400, 300], "n_critics": 1, "activation_fn": "relu"}, "seed": 0,
    }


def test_sb3Arguments_td3AndOrnsteinUhlenbeck():
    config = PENDULUM | {"algo": "td3", "twinCritics": True, "policyDelay": 2, "targetPolicyNoise": 0.2,
                         "actionNoise": "ornstein-uhlenbeck", "actionNoiseSigma": 0.5, "activation": "tanh"}
    arguments = sb3_learning.sb3_arguments(config)
    assert arguments["policy_kwargs"] == {"net_arch": [400, 300], "n_critics": 2, "activation_fn": "tanh"}
    assert (arguments["policy_delay"], arguments["target_policy_noise"]) == (2, 0.2)
    assert arguments["action_noise"] == ("ORNSTEIN_UHLENBECK", 0.5)


def test_sb3Arguments_trainFreqUnit_episode_isSb3sPair():
    assert sb3_learning.sb3_arguments(PENDULUM | {"trainFreqUnit": "EPISODE"})["train_freq"] == (1, "episode")
    assert sb3_learning.sb3_arguments(PENDULUM | {"trainFreqUnit": "STEP", "trainFreq": 4})["train_freq"] == 4
    with pytest.raises(SystemExit, match="trainFreqUnit 'FORTNIGHT' has no SB3 mapping"):
        sb3_learning.sb3_arguments(PENDULUM | {"trainFreqUnit": "FORTNIGHT"})


def test_loadConfig_overridesSeedAndSteps(tmp_path):
    path = tmp_path / "config.json"
    path.write_text(json.dumps(PENDULUM))
    config = sb3_learning.load_config(path, seed=3, steps=500)
    assert (config["seed"], config["totalTimesteps"]) == (3, 500)


def test_loadConfig_unmappedKey_refusedNamingIt(tmp_path):
    path = tmp_path / "config.json"
    path.write_text(json.dumps(PENDULUM | {"frameStackDepth": 4}))
    with pytest.raises(SystemExit, match=r"gymlink config key\(s\) \['frameStackDepth'\] have no SB3 mapping"):
        sb3_learning.load_config(path, None, None)


class ZeroPolicy:
    """Stands in for an SB3 model: always the zero action, no observation normaliser."""

    def predict(self, observation, deterministic):
        assert deterministic
        return np.zeros(1, dtype=np.float32), None

    def get_vec_normalize_env(self):
        return None


def test_evaluate_isGymlinksProtocol_episodeIResetWithSeedPlus10000PlusI():
    config = PENDULUM | {"seed": 5, "evalEpisodes": 3}
    result = sb3_learning.evaluate(ZeroPolicy(), gym.make("Pendulum-v1"), config, step=2000)
    expected = []
    for episode in range(3):
        env = gym.make("Pendulum-v1")
        env.reset(seed=5 + 10000 + episode)
        total, done = 0.0, False
        while not done:
            _, reward, terminated, truncated, _ = env.step(np.zeros(1, dtype=np.float32))
            total += float(reward)
            done = terminated or truncated
        expected.append(total)
    assert result["returns"] == pytest.approx(expected)
    assert result["lengths"] == [200, 200, 200]
    assert result["mean"] == pytest.approx(np.mean(expected)) and result["std"] == pytest.approx(np.std(expected))
    assert result["step"] == 2000


def test_evaluations_scheduleAndCsv_asGymlinks(tmp_path):
    evaluations = sb3_learning.Evaluations(gym.make("Pendulum-v1"), PENDULUM | {"evalEpisodes": 1},
                                           tmp_path / "evaluations.csv")
    assert [step for step in range(1, 20001) if evaluations.due(step)] == list(range(2000, 20000, 2000))
    evaluations.evaluate(ZeroPolicy(), 2000)
    header, row = (tmp_path / "evaluations.csv").read_text().splitlines()
    assert header == "step,mean_return,std_return,episodes,returns"
    assert row.startswith("2000,") and row.split(",")[3] == "1"


def test_actionRepeat_sumsRewardsAndStopsAtTheEnd():
    env = sb3_learning.make_env(PENDULUM | {"actionRepeat": 4, "maxEpisodeSteps": 6})
    reference = gym.make("Pendulum-v1", max_episode_steps=6)
    env.reset(seed=0)
    reference.reset(seed=0)
    action = np.zeros(1, dtype=np.float32)
    _, reward, _, truncated, _ = env.step(action)
    assert reward == pytest.approx(sum(reference.step(action)[1] for _ in range(4))) and not truncated
    _, _, _, truncated, _ = env.step(action)
    assert truncated, "the 6-step time limit ends the second repeat after 2 steps"


def test_makeEnv_mujoco_writesNoLogFileIntoTheWorkingDirectory(tmp_path, monkeypatch):
    pytest.importorskip("mujoco")  # bin/bootstrap installs the mujoco extra
    monkeypatch.chdir(tmp_path)
    env = sb3_learning.make_env(PENDULUM | {"envId": "HalfCheetah-v5"})
    env.reset(seed=0)
    env.close()
    assert not (tmp_path / "MUJOCO_LOG.TXT").exists()
