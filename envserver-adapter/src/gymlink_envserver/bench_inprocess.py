"""In-process floor for the transport benchmark: how fast the environment steps with no transport at all.

Usage::

    python -m gymlink_envserver.bench_inprocess --env Pendulum-v1 --steps 20000 [--seed 0] [--json]

Actions are sampled up front from the action space (seeded), so sampling is not timed. Each ``env.step`` call is
timed on its own for the latency percentiles; ``steps_per_s`` is steps divided by the wall time of the whole loop,
which includes the resets at episode ends (as a remote client's loop would). With ``--json`` one JSON line is printed
with keys ``env, steps, p50_us, p99_us, steps_per_s``; otherwise a small table.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import asdict, dataclass

import gymnasium as gym
import numpy as np


@dataclass(frozen=True)
class BenchResult:
    """Latency percentiles and throughput of one in-process run.

    Attributes:
        env: The environment id.
        steps: Number of timed steps.
        p50_us: Median step latency in microseconds.
        p99_us: 99th-percentile step latency in microseconds.
        steps_per_s: Steps per second over the whole loop (resets included).
    """

    env: str
    steps: int
    p50_us: float
    p99_us: float
    steps_per_s: float


def run(env_id: str, steps: int, seed: int = 0, **make_kwargs) -> BenchResult:
    """Steps ``env_id`` in this process ``steps`` times with pre-sampled random actions.

    Args:
        env_id: A registered Gymnasium id.
        steps: Number of steps to time (>= 1).
        seed: Seeds the first reset and the action sampler.
        **make_kwargs: Passed to ``gymnasium.make``.

    Returns:
        The measured latencies and throughput.
    """
    if steps < 1:
        raise ValueError(f"steps is {steps}, expected >= 1")
    env = gym.make(env_id, **make_kwargs)
    env.action_space.seed(seed)
    actions = [env.action_space.sample() for _ in range(steps)]
    latencies = np.empty(steps, dtype=np.int64)
    env.reset(seed=seed)
    start = time.perf_counter_ns()
    for i, action in enumerate(actions):
        before = time.perf_counter_ns()
        _, _, terminated, truncated, _ = env.step(action)
        latencies[i] = time.perf_counter_ns() - before
        if terminated or truncated:
            env.reset()
    elapsed = (time.perf_counter_ns() - start) / 1e9
    env.close()
    p50, p99 = np.percentile(latencies, [50, 99]) / 1e3
    return BenchResult(env=env_id, steps=steps, p50_us=round(float(p50), 2), p99_us=round(float(p99), 2),
                       steps_per_s=round(steps / elapsed, 1))


def main(argv: list[str] | None = None) -> int:
    """Command-line entry: runs the benchmark and prints a table or one JSON line."""
    parser = argparse.ArgumentParser(prog="python -m gymlink_envserver.bench_inprocess",
                                     description="Steps a Gymnasium environment in-process and reports latency.")
    parser.add_argument("--env", default="Pendulum-v1", help="environment id (default: %(default)s)")
    parser.add_argument("--steps", type=int, default=20000, help="timed steps (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=0, help="reset and action-sampling seed (default: %(default)s)")
    parser.add_argument("--json", action="store_true", help="print one JSON line instead of a table")
    args = parser.parse_args(argv)
    try:
        result = run(args.env, args.steps, args.seed)
    except (ValueError, gym.error.Error) as error:
        parser.error(str(error))
    if args.json:
        print(json.dumps(asdict(result)), flush=True)
    else:
        print(f"{'env':<24} {'steps':>8} {'p50 (us)':>10} {'p99 (us)':>10} {'steps/s':>12}")
        print(f"{result.env:<24} {result.steps:>8} {result.p50_us:>10.2f} {result.p99_us:>10.2f} "
              f"{result.steps_per_s:>12.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
