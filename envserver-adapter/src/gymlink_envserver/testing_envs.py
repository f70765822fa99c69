"""Small environments that exercise every corner of the protocol; registered only with ``--test-envs``.

* ``GymlinkTest/DictObs-v0``: Dict observation of every space kind, Discrete(3) action, truncated after 10 steps.
* ``GymlinkTest/CompositeAction-v0``: a Tuple/Dict action of MultiDiscrete, MultiBinary and Box; terminates after 5.
* ``GymlinkTest/Crash-v0``: Box/Box; ``step`` raises ``RuntimeError("simulated crash")`` on the 3rd step of an episode.
* ``GymlinkTest/Slow-v0``: Box/Box; each step sleeps ``step_seconds`` (default 2.0), for deadline tests.
* ``GymlinkTest/Sleep-v0``: the same env sleeping 0.02 s per step (kwarg ``step_seconds``), truncated after 200 steps:
  a stand-in for a simulator whose time is spent elsewhere (another machine, a worker process), for benchmarks and
  tests of concurrent batches. Both declare ``gymlink.concurrent_step``: their steps wait, so a batch runs them
  concurrently.
"""

from __future__ import annotations

import time
from typing import Any

import gymnasium as gym
import numpy as np
from gymnasium import spaces

DICT_OBS_ID = "GymlinkTest/DictObs-v0"
COMPOSITE_ACTION_ID = "GymlinkTest/CompositeAction-v0"
CRASH_ID = "GymlinkTest/Crash-v0"
SLOW_ID = "GymlinkTest/Slow-v0"
SLEEP_ID = "GymlinkTest/Sleep-v0"


class DictObsEnv(gym.Env):
    """Dict observation of Box, Discrete, MultiBinary, MultiDiscrete and Tuple; info carries nested data."""

    def __init__(self) -> None:
        self.observation_space = spaces.Dict({
            "position": spaces.Box(-1.0, 1.0, (2,), np.float32),
            "count": spaces.Discrete(5),
            "flags": spaces.MultiBinary(3),
            "grid": spaces.MultiDiscrete([2, 3]),
            "pair": spaces.Tuple((spaces.Discrete(2), spaces.Box(0.0, 1.0, (1,), np.float64))),
        })
        self.action_space = spaces.Discrete(3)
        self._steps = 0

    def reset(self, *, seed: int | None = None, options: dict | None = None) -> tuple[dict, dict]:
        """Starts an episode; ``options`` are echoed back in ``info``."""
        super().reset(seed=seed)
        self._steps = 0
        return self._observation(), {"options": dict(options or {}), "seed": seed}

    def step(self, action: Any) -> tuple[dict, float, bool, bool, dict]:
        """Counts steps; reward is the action; never terminates (the registered time limit truncates)."""
        self._steps += 1
        info = {
            "steps": self._steps,
            "nested": {"list": [1, 2.5, "three", None, True], "map": {"a": np.int64(7)}},
            "array": np.arange(3, dtype=np.float32) * self._steps,
        }
        return self._observation(), float(action), False, False, info

    def _observation(self) -> dict:
        rng = self.np_random
        return {
            "position": rng.uniform(-1.0, 1.0, 2).astype(np.float32),
            "count": np.int64(self._steps % 5),
            "flags": rng.integers(0, 2, 3).astype(np.int8),
            "grid": np.array([self._steps % 2, self._steps % 3], dtype=np.int64),
            "pair": (np.int64(self._steps % 2), rng.uniform(0.0, 1.0, 1)),
        }


class CompositeActionEnv(gym.Env):
    """Unbounded Box observation; Tuple(MultiDiscrete, MultiBinary, Dict{x: Box}) action; terminates after 5 steps."""

    def __init__(self) -> None:
        self.observation_space = spaces.Box(-np.inf, np.inf, (3,), np.float32)
        self.action_space = spaces.Tuple((
            spaces.MultiDiscrete([2, 3]),
            spaces.MultiBinary(4),
            spaces.Dict({"x": spaces.Box(-1.0, 1.0, (2,), np.float32)}),
        ))
        self._steps = 0

    def reset(self, *, seed: int | None = None, options: dict | None = None) -> tuple[np.ndarray, dict]:
        """Starts an episode at the origin."""
        super().reset(seed=seed)
        self._steps = 0
        return np.zeros(3, dtype=np.float32), {}

    def step(self, action: Any) -> tuple[np.ndarray, float, bool, bool, dict]:
        """Observation summarises the action: sum of the MultiDiscrete, of the MultiBinary, and of x."""
        discrete, binary, mapping = action
        self._steps += 1
        observation = np.array([np.sum(discrete), np.sum(binary), np.sum(mapping["x"])], dtype=np.float32)
        return observation, 1.0, self._steps >= 5, False, {"steps": self._steps}


class _BoxEnv(gym.Env):
    """A one-dimensional Box/Box environment whose observation is the last action."""

    def __init__(self) -> None:
        self.observation_space = spaces.Box(-1.0, 1.0, (1,), np.float32)
        self.action_space = spaces.Box(-1.0, 1.0, (1,), np.float32)
        self._steps = 0

    def reset(self, *, seed: int | None = None, options: dict | None = None) -> tuple[np.ndarray, dict]:
        """Starts an episode at zero."""
        super().reset(seed=seed)
        self._steps = 0
        return np.zeros(1, dtype=np.float32), {}

    def step(self, action: Any) -> tuple[np.ndarray, float, bool, bool, dict]:
        """Returns the action as observation and minus its square as reward."""
        self._steps += 1
        action = np.asarray(action, dtype=np.float32)
        return action.copy(), float(-np.sum(action**2)), False, False, {}


class CrashEnv(_BoxEnv):
    """Raises ``RuntimeError("simulated crash")`` on the 3rd step of every episode."""

    def step(self, action: Any) -> tuple[np.ndarray, float, bool, bool, dict]:
        """Steps, except the 3rd step of an episode, which raises."""
        if self._steps == 2:
            self._steps += 1
            raise RuntimeError("simulated crash")
        return super().step(action)


class SlowEnv(_BoxEnv):
    """Sleeps ``step_seconds`` in every step (and says so, so that a batch steps several at once)."""

    metadata = {"render_modes": [], "gymlink.concurrent_step": True}

    def __init__(self, step_seconds: float = 2.0) -> None:
        super().__init__()
        if step_seconds < 0:
            raise ValueError(f"step_seconds is {step_seconds}, expected >= 0")
        self.step_seconds = step_seconds

    def step(self, action: Any) -> tuple[np.ndarray, float, bool, bool, dict]:
        """Sleeps, then steps."""
        time.sleep(self.step_seconds)
        return super().step(action)


_REGISTRATIONS: dict[str, tuple[str, int | None, dict]] = {
    DICT_OBS_ID: ("DictObsEnv", 10, {}),
    COMPOSITE_ACTION_ID: ("CompositeActionEnv", None, {}),
    CRASH_ID: ("CrashEnv", None, {}),
    SLOW_ID: ("SlowEnv", None, {}),
    SLEEP_ID: ("SlowEnv", 200, {"step_seconds": 0.02}),
}


def register() -> list[str]:
    """Registers the test environments with Gymnasium (once per process) and returns their ids."""
    for env_id, (class_name, max_episode_steps, kwargs) in _REGISTRATIONS.items():
        if env_id not in gym.registry:
            gym.register(id=env_id, entry_point=f"{__name__}:{class_name}", max_episode_steps=max_episode_steps,
                         kwargs=kwargs)
    return list(_REGISTRATIONS)
