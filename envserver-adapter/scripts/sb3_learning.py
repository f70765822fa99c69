"""Trains Stable-Baselines3 DDPG/TD3 with a gymlink run config, evaluating exactly as gymlink does.

The SB3 side of ``bin/bench-learning --sb3``; it runs in the benchmark venv (``.bench-venv``: torch, SB3,
Gymnasium with Box2D and MuJoCo), never in the env server's. Input is gymlink's resolved flat config as JSON, the
output of ``bin/gymlink train --env ID [--algo td3] --print-config``::

    bin/gymlink train --env Pendulum-v1 --print-config > config.json
    .bench-venv/bin/python envserver-adapter/scripts/sb3_learning.py --config config.json --seed 0 --out runs/sb3

gymlink keys map to SB3's arguments one to one (learningRate -> learning_rate, ..., netArch -> net_arch,
twinCritics -> n_critics, normalizeObservations -> VecNormalize on observations only). SB3's DDPG is its TD3 with
one critic, policy delay 1 and no target smoothing, so both are built as ``TD3`` with the config's three flags.

Evaluation is gymlink's (``io.gymlink.train.Evaluator``): every ``evalFreq`` steps and at the end, ``evalEpisodes``
deterministic episodes on a separate env, episode ``i`` reset with seed ``seed + 10000 + i``, observation statistics
frozen. Writes ``OUT/evaluations.csv`` (gymlink's columns) and ``OUT/result.json`` (final evaluation, wall time,
env-steps/s of training with evaluation time excluded, versions).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

import gymnasium as gym
import numpy as np

# torch and SB3 are imported where they are used: the config mapping and the evaluation protocol are tested in the
# env server's venv (envserver-adapter/tests/test_sb3_learning.py), which has neither.

EVAL_SEED_OFFSET = 10_000
"""gymlink's Evaluator.SEED_OFFSET: evaluation episode i is reset with seed + 10000 + i."""

# gymlink keys that configure SB3, and keys that only drive gymlink's run bookkeeping (files, logs), which SB3's
# side handles its own way or not at all. Any other key is refused: a new gymlink option must be mapped here.
MAPPED_KEYS = {
    "envId", "algo", "totalTimesteps", "seed", "evalFreq", "evalEpisodes", "maxEpisodeSteps", "learningRate",
    "bufferSize", "learningStarts", "batchSize", "tau", "gamma", "trainFreq", "gradientSteps", "actionNoise",
    "actionNoiseSigma", "netArch", "activation", "twinCritics", "policyDelay", "targetPolicyNoise", "targetNoiseClip",
    "normalizeObservations", "numEnvs", "actionRepeat", "trainFreqUnit",
}
BOOKKEEPING_KEYS = {"checkpointFreq", "saveReplayBuffer", "logInterval", "asyncCollection"}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", required=True, type=Path,
                        help="gymlink's resolved config as JSON (bin/gymlink train ... --print-config)")
    parser.add_argument("--seed", type=int, default=None, help="overrides the config's seed")
    parser.add_argument("--steps", type=int, default=None, help="overrides the config's totalTimesteps")
    parser.add_argument("--out", type=Path, required=True, help="directory for evaluations.csv and result.json")
    parser.add_argument("--torch-threads", type=int, default=1, help="torch.set_num_threads (default: %(default)s)")
    parser.add_argument("--check", action="store_true",
                        help="only make the env and build the model, then exit (a benchmark's preflight)")
    return parser.parse_args(argv)


def load_config(path: Path, seed: int | None, steps: int | None) -> dict[str, Any]:
    """Reads the config and checks that every key is one this script knows."""
    config = json.loads(path.read_text(encoding="utf-8"))
    unknown = sorted(set(config) - MAPPED_KEYS - BOOKKEEPING_KEYS)
    if unknown:
        raise SystemExit(f"{path}: gymlink config key(s) {unknown} have no SB3 mapping in {Path(__file__).name}")
    if seed is not None:
        config["seed"] = seed
    if steps is not None:
        config["totalTimesteps"] = steps
    if config.get("asyncCollection"):
        print("note: asyncCollection has no SB3 counterpart; SB3 collects synchronously", file=sys.stderr)
    return config


class ActionRepeat(gym.Wrapper):
    """Repeats each action ``repeat`` times, summing the rewards (gymlink's actionRepeat)."""

    def __init__(self, env: gym.Env, repeat: int) -> None:
        super().__init__(env)
        self.repeat = repeat

    def step(self, action: Any) -> tuple[Any, float, bool, bool, dict]:
        """Steps ``repeat`` times (fewer when the episode ends) and returns the last step with the summed reward."""
        total = 0.0
        for _ in range(self.repeat):
            observation, reward, terminated, truncated, info = self.env.step(action)
            total += float(reward)
            if terminated or truncated:
                break
        return observation, total, terminated, truncated, info


def route_mujoco_warnings() -> None:
    """Prints each MuJoCo warning once to stderr, instead of appending it to MUJOCO_LOG.TXT in the working directory.

    As the env server does (MuJoCo >= 3.17 warns on every make of Gymnasium's models that ``settotalmass`` is
    deprecated).
    """
    import importlib.util

    if importlib.util.find_spec("mujoco") is None:
        return
    import mujoco

    seen: set[str] = set()

    def warn(text: str) -> None:
        if text not in seen:
            seen.add(text)
            print(f"MuJoCo: {text}", file=sys.stderr)

    mujoco.set_mju_user_warning(warn)


def make_env(config: dict[str, Any]) -> gym.Env:
    """One environment as gymlink's server makes it (registered time limit unless maxEpisodeSteps)."""
    spec = gym.spec(config["envId"])
    if isinstance(spec.entry_point, str) and spec.entry_point.startswith("gymnasium.envs.mujoco"):
        route_mujoco_warnings()
    env = gym.make(config["envId"], max_episode_steps=config.get("maxEpisodeSteps"))
    repeat = int(config.get("actionRepeat") or 1)
    return ActionRepeat(env, repeat) if repeat > 1 else env


def sb3_arguments(config: dict[str, Any]) -> dict[str, Any]:
    """SB3 ``TD3`` keyword arguments for a gymlink config, with the noise and activation still as names.

    DDPG is TD3 with one critic, policy delay 1 and no target smoothing (as SB3's own ``DDPG`` class builds it), so
    the config's three TD3 flags decide which of the two runs.
    """
    noise = str(config["actionNoise"]).upper().replace("-", "_")
    noise = {"GAUSSIAN": "NORMAL"}.get(noise, noise)
    if noise not in ("NORMAL", "ORNSTEIN_UHLENBECK", "NONE"):
        raise SystemExit(f"actionNoise {config['actionNoise']!r} has no SB3 mapping")
    if config["activation"] not in ("relu", "tanh"):
        raise SystemExit(f"activation {config['activation']!r} has no SB3 mapping")
    return {
        "learning_rate": float(config["learningRate"]),
        "buffer_size": int(config["bufferSize"]),
        "learning_starts": int(config["learningStarts"]),
        "batch_size": int(config["batchSize"]),
        "tau": float(config["tau"]),
        "gamma": float(config["gamma"]),
        "train_freq": train_freq(config),
        "gradient_steps": int(config["gradientSteps"]),
        "action_noise": (noise, float(config["actionNoiseSigma"])),
        "policy_delay": int(config["policyDelay"]),
        "target_policy_noise": float(config["targetPolicyNoise"]),
        "target_noise_clip": float(config["targetNoiseClip"]),
        "policy_kwargs": {"net_arch": [int(width) for width in config["netArch"]],
                          "n_critics": 2 if config["twinCritics"] else 1,
                          "activation_fn": config["activation"]},
        "seed": int(config["seed"]),
    }


def train_freq(config: dict[str, Any]) -> int | tuple[int, str]:
    """SB3's ``train_freq``: an int counting steps, or ``(n, "episode")`` for trainFreqUnit EPISODE."""
    unit = str(config.get("trainFreqUnit", "STEP")).upper()
    if unit not in ("STEP", "EPISODE"):
        raise SystemExit(f"trainFreqUnit {config['trainFreqUnit']!r} has no SB3 mapping")
    return int(config["trainFreq"]) if unit == "STEP" else (int(config["trainFreq"]), "episode")


def build_model(config: dict[str, Any]) -> Any:
    """SB3's TD3 on a vector env of ``numEnvs`` envs, VecNormalize on observations when normalizeObservations."""
    import torch
    from stable_baselines3 import TD3
    from stable_baselines3.common.noise import NormalActionNoise, OrnsteinUhlenbeckActionNoise
    from stable_baselines3.common.vec_env import DummyVecEnv, VecNormalize

    n_envs = int(config.get("numEnvs") or 1)
    venv = DummyVecEnv([lambda: make_env(config)] * n_envs)
    if config["normalizeObservations"]:
        venv = VecNormalize(venv, norm_obs=True, norm_reward=False, clip_obs=10.0, epsilon=1e-8,
                            gamma=float(config["gamma"]))
    kwargs = sb3_arguments(config)
    dim = int(np.prod(venv.action_space.shape))
    kind, sigma = kwargs["action_noise"]
    noise_class = {"NORMAL": NormalActionNoise, "ORNSTEIN_UHLENBECK": OrnsteinUhlenbeckActionNoise}.get(kind)
    kwargs["action_noise"] = (None if noise_class is None
                              else noise_class(mean=np.zeros(dim), sigma=sigma * np.ones(dim)))
    activation = kwargs["policy_kwargs"]["activation_fn"]
    kwargs["policy_kwargs"]["activation_fn"] = {"relu": torch.nn.ReLU, "tanh": torch.nn.Tanh}[activation]
    return TD3("MlpPolicy", venv, device="cpu", verbose=0, **kwargs)


def evaluate(model: Any, env: gym.Env, config: dict[str, Any], step: int) -> dict[str, Any]:
    """Evaluates as gymlink does: deterministic episodes, episode i reset with seed + 10000 + i, statistics frozen."""
    normalizer = model.get_vec_normalize_env()
    returns, lengths = [], []
    for episode in range(config["evalEpisodes"]):
        observation, _ = env.reset(seed=config["seed"] + EVAL_SEED_OFFSET + episode)
        total, length, done = 0.0, 0, False
        while not done:
            if normalizer is not None:
                observation = normalizer.normalize_obs(observation)
            action, _ = model.predict(observation, deterministic=True)
            observation, reward, terminated, truncated, _ = env.step(action)
            total += float(reward)
            length += 1
            done = terminated or truncated
        returns.append(total)
        lengths.append(length)
    return {"step": step, "mean": float(np.mean(returns)), "std": float(np.std(returns)), "returns": returns,
            "lengths": lengths}


class Evaluations:
    """Evaluations during and after training, written as gymlink's evaluations.csv rows, timed apart from training.

    Args:
        env: The evaluation env (not the training env).
        config: The gymlink config (envId, seed, evalEpisodes, evalFreq, totalTimesteps).
        csv: The file to (re)write.
    """

    def __init__(self, env: gym.Env, config: dict[str, Any], csv: Path) -> None:
        self.env, self.config, self.csv = env, config, csv
        self.seconds = 0.0
        csv.write_text("step,mean_return,std_return,episodes,returns\n", encoding="utf-8")

    def evaluate(self, model: Any, step: int) -> dict[str, Any]:
        """Runs one evaluation, appends its row, and counts its time apart from training."""
        start = time.perf_counter()
        result = evaluate(model, self.env, self.config, step)
        self.seconds += time.perf_counter() - start
        with self.csv.open("a", encoding="utf-8") as out:
            out.write(f"{step},{result['mean']:.6g},{result['std']:.6g},{len(result['returns'])},"
                      + " ".join(f"{r:.4f}" for r in result["returns"]) + "\n")
        print(f"sb3 {self.config['envId']} seed {self.config['seed']}: evaluation at step {step}: return "
              f"{result['mean']:.2f} ± {result['std']:.2f}", file=sys.stderr, flush=True)
        return result

    def due(self, step: int) -> bool:
        """Whether gymlink evaluates at ``step`` before the end (the final evaluation comes after training)."""
        freq = self.config["evalFreq"]
        return freq > 0 and step % freq == 0 and step < self.config["totalTimesteps"]


def callback(evaluations: Evaluations) -> Any:
    """An SB3 callback evaluating on gymlink's schedule and logging progress every tenth of the budget."""
    from stable_baselines3.common.callbacks import BaseCallback

    class OnSchedule(BaseCallback):
        def __init__(self) -> None:
            super().__init__()
            self.started = time.perf_counter()
            self.last_log = 0

        def _on_step(self) -> bool:
            step, total = self.num_timesteps, evaluations.config["totalTimesteps"]
            if evaluations.due(step):
                evaluations.evaluate(self.model, step)
            if step - self.last_log >= max(1, total // 10):
                self.last_log = step
                rate = step / max(1e-9, time.perf_counter() - self.started - evaluations.seconds)
                print(f"sb3 {evaluations.config['envId']} seed {evaluations.config['seed']}: step {step}/{total}, "
                      f"{rate:.1f} env-steps/s", file=sys.stderr, flush=True)
            return True

    return OnSchedule()


def main(argv: list[str] | None = None) -> int:
    """Trains, evaluates and writes the result files; returns the exit code."""
    import stable_baselines3
    import torch

    args = parse_args(argv)
    config = load_config(args.config, args.seed, args.steps)
    torch.set_num_threads(args.torch_threads)
    args.out.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    model = build_model(config)
    if args.check:
        print(f"sb3 {config['envId']}: SB3 {stable_baselines3.__version__} and torch {torch.__version__} ready",
              file=sys.stderr)
        return 0
    evaluations = Evaluations(make_env(config), config, args.out / "evaluations.csv")
    model.learn(total_timesteps=config["totalTimesteps"], callback=callback(evaluations))
    steps = int(model.num_timesteps)
    final = evaluations.evaluate(model, steps)
    wall = time.perf_counter() - start
    result = {
        "envId": config["envId"], "algo": config["algo"], "seed": config["seed"], "steps": steps,
        "final": final, "wallSeconds": wall, "evaluationSeconds": evaluations.seconds,
        "stepsPerSecond": steps / max(1e-9, wall - evaluations.seconds), "torchThreads": torch.get_num_threads(),
        "versions": {"stable-baselines3": stable_baselines3.__version__, "torch": torch.__version__,
                     "gymnasium": gym.__version__, "numpy": np.__version__},
    }
    (args.out / "result.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"sb3 {config['envId']} seed {config['seed']}: {steps} steps in {wall:.1f} s "
          f"({result['stepsPerSecond']:.1f} env-steps/s excluding evaluation); final evaluation "
          f"{final['mean']:.2f} ± {final['std']:.2f}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
