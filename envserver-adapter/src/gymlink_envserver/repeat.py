"""Action repeat (frame skip): a wrapper that applies each action K times, so one request covers K frames."""

from __future__ import annotations

from typing import Any

import gymnasium as gym

MAX_ACTION_REPEAT = 1000
"""Largest action repeat a client may ask for (a bound on the work one request can cause)."""


class ActionRepeat(gym.Wrapper):
    """Applies each action ``repeat`` times and sums the rewards, stopping at the frame that ends the episode.

    The observation and info are those of the last frame stepped. Made outside the env's ``TimeLimit``, so the time
    limit keeps counting frames: Pendulum-v1 (200 frames) with ``repeat=4`` truncates after 50 steps of the wrapper.
    This is the frame skip of the osim-rl challenge solutions and of Atari's ``MaxAndSkipEnv`` (without the max).

    Args:
        env: The environment to wrap.
        repeat: K, how many frames each action is applied for, 1 to :data:`MAX_ACTION_REPEAT`.
    """

    def __init__(self, env: gym.Env, repeat: int) -> None:
        if not 1 <= repeat <= MAX_ACTION_REPEAT:
            raise ValueError(f"repeat is {repeat}, expected 1 to {MAX_ACTION_REPEAT}")
        super().__init__(env)
        self.repeat = repeat

    def step(self, action: Any) -> tuple[Any, float, bool, bool, dict]:
        """Steps up to ``repeat`` frames with ``action``; the summed reward and the last frame's outcome."""
        total = 0.0
        for _ in range(self.repeat):
            observation, reward, terminated, truncated, info = self.env.step(action)
            total += float(reward)
            if terminated or truncated:
                break
        return observation, total, terminated, truncated, info
