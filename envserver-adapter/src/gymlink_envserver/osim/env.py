"""Gymnasium environments whose simulation runs in a worker process: :class:`OsimEnv` for osim-rl's envs."""

from __future__ import annotations

import logging
from typing import Any

import gymnasium as gym
import numpy as np
from gymnasium import spaces

from gymlink_envserver.osim import ENV_CLASSES
from gymlink_envserver.osim.worker import OBSERVATION_MODES, WorkerHandle

OSIM_KWARGS = ("difficulty", "integrator_accuracy", "seed")
"""Constructor arguments of osim-rl envs a client may set (others, such as ``report`` paths, stay server-side)."""


class ProcessEnv(gym.Env):
    """A Gymnasium env proxying an old-gym osim-style env in a worker process, recycled every N episodes.

    Args:
        factory: ``module:Class`` of the old-gym environment; trusted code only (never from a client).
        kwargs: Its constructor arguments.
        observation: ``"flat"`` (a Box vector) or ``"dict"`` (a Gymnasium Dict).
        recycle_episodes: Start a fresh worker process after this many episodes (osim envs leak memory).
        timeout: Seconds any worker answer may take.
        apply_compat: Install the OpenSim/numpy/scipy shims in the worker (osim-rl needs them).
        quiet: Keep the simulator's own chatter (OpenSim's ``[info]`` lines, the env's prints) out of the server's
            log; None (default): quiet unless the server logs at INFO or below (``gymlink-envserver --log-level
            info``, which ``gymlink ... --verbose`` passes to its local server).
    """

    # Each instance simulates in its own worker process, so a batch may step several at once.
    metadata = {"render_modes": [], "gymlink.concurrent_step": True}

    def __init__(self, factory: str, kwargs: dict | None = None, observation: str = "flat",
                 recycle_episodes: int = 100, timeout: float = 300.0, apply_compat: bool = True,
                 quiet: bool | None = None) -> None:
        if observation not in OBSERVATION_MODES:
            raise ValueError(f"observation is {observation!r}, expected one of {list(OBSERVATION_MODES)}")
        if recycle_episodes < 1:
            raise ValueError(f"recycle_episodes is {recycle_episodes}, expected >= 1")
        if quiet is None:
            quiet = not logging.getLogger("gymlink_envserver").isEnabledFor(logging.INFO)
        self._spawn_args = (factory, dict(kwargs or {}), observation, float(timeout), apply_compat, quiet)
        self._observation_mode = observation
        self.recycle_episodes = recycle_episodes
        self.worker = WorkerHandle(*self._spawn_args)
        self._episodes_in_worker = 0
        description = self.worker.description
        self.time_limit = description["time_limit"] or None
        self.action_space = spaces.Box(0.0, 1.0, (description["action_size"],), np.float32)
        self.observation_space = self._observation_space(description)

    def reset(self, *, seed: int | None = None, options: dict | None = None) -> tuple[Any, dict]:
        """Starts an episode, first replacing the worker when it failed or ran ``recycle_episodes`` episodes."""
        super().reset(seed=seed)
        if self.worker.broken or self._episodes_in_worker >= self.recycle_episodes:
            self.worker.stop()
            self.worker = WorkerHandle(*self._spawn_args)
            self._episodes_in_worker = 0
        observation = self.worker.call("reset", seed)
        self._episodes_in_worker += 1
        return self._convert(observation), {"worker_pid": self.worker.process.pid}

    def step(self, action: Any) -> tuple[Any, float, bool, bool, dict]:
        """One osim step; ``done`` split into terminated (fell) and truncated (time limit)."""
        observation, reward, terminated, truncated = self.worker.call(
            "step", np.asarray(action, dtype=np.float64).reshape(-1).tolist())
        return self._convert(observation), reward, terminated, truncated, {}

    def close(self) -> None:
        """Stops the worker process."""
        self.worker.stop()

    def _observation_space(self, description: dict) -> spaces.Space:
        first = description["observation"]
        if self._observation_mode == "flat":
            low = np.asarray(description.get("low", [-np.inf] * len(first)), dtype=np.float32)
            high = np.asarray(description.get("high", [np.inf] * len(first)), dtype=np.float32)
            return spaces.Box(low, high, (len(first),), np.float32)
        return _dict_space(first)

    def _convert(self, observation: Any) -> Any:
        if self._observation_mode == "flat":
            array = np.asarray(observation, dtype=np.float32)
            # osim-rl clips to its own bounds in float64; rounding to float32 must not step outside them.
            return np.clip(array, self.observation_space.low, self.observation_space.high)
        return _dict_value(observation)


class OsimEnv(ProcessEnv):
    """One of osim-rl's challenge environments (L2M2019Env, ProstheticsEnv, L2RunEnv) in its own process.

    Args:
        osim_class: The osim-rl class name (registered as the Gymnasium id of the same name).
        observation: ``"flat"`` (default) or ``"dict"``; see :mod:`gymlink_envserver.osim`.
        recycle_episodes: Episodes per worker process before a fresh one is started.
        timeout: Seconds one osim call may take.
        **osim_kwargs: osim-rl constructor arguments among :data:`OSIM_KWARGS` (e.g. ``difficulty``).
    """

    def __init__(self, osim_class: str, observation: str = "flat", recycle_episodes: int = 100,
                 timeout: float = 300.0, **osim_kwargs: Any) -> None:
        if osim_class not in ENV_CLASSES:
            raise ValueError(f"osim_class is {osim_class!r}, expected one of {list(ENV_CLASSES)}")
        refused = sorted(set(osim_kwargs) - set(OSIM_KWARGS))
        if refused:
            raise ValueError(f"{osim_class} does not take {refused} here; allowed: {list(OSIM_KWARGS)}")
        super().__init__(f"osim.env:{osim_class}", osim_kwargs, observation, recycle_episodes, timeout, True)


def _dict_space(sample: Any) -> spaces.Space:
    if isinstance(sample, dict):
        return spaces.Dict({key: _dict_space(value) for key, value in sample.items()})
    shape = np.asarray(sample, dtype=np.float64).shape
    return spaces.Box(-np.inf, np.inf, shape, np.float32)


def _dict_value(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _dict_value(item) for key, item in value.items()}
    return np.asarray(value, dtype=np.float32)
