"""The worker process that owns one osim-rl environment, and the server-side handle that talks to it over a pipe.

Requests are tuples ``(command, argument)``: ``("reset", seed)``, ``("step", action_list)``, ``("close", None)``.
Every answer is ``("ok", payload)`` or ``("error", "TypeName: message")``. The worker reports on start-up, after
one reset that discovers the observation's structure: ``("ok", description)``.
"""

from __future__ import annotations

import importlib
import inspect
import multiprocessing
import random
from multiprocessing.connection import Connection
from typing import Any

import numpy as np

OBSERVATION_MODES = ("flat", "dict")


def main(conn: Connection, factory: str, kwargs: dict, observation: str, apply_compat: bool,
         quiet: bool = False) -> None:
    """Worker entry point: makes the environment, describes it, then serves requests until ``close``.

    With ``quiet``, the simulator's own chatter stays out of the server's log: OpenSim's logger is set to warnings
    (it prints a dozen ``[info]`` lines per step, e.g. ``number of steps taken / attempted``), and Python-level
    prints and warnings of the env (osim-rl's ``difficulty 3 for Round 2``, old gym's notices) are dropped. Errors
    still reach the server: they travel over the pipe, and C-level crash output over the untouched stderr.
    """
    _stdout_to_stderr()
    if quiet:
        _silence_chatter()
    try:
        if apply_compat:
            from gymlink_envserver.osim import compat

            compat.apply()
        module_name, _, class_name = factory.partition(":")
        env = getattr(importlib.import_module(module_name), class_name)(visualize=False, **kwargs)
        runner = _Runner(env, observation)
        conn.send(("ok", runner.describe()))
    except Exception as error:  # noqa: BLE001 - reported to the server, which raises it there
        conn.send(("error", f"{type(error).__name__}: {error}"))
        return
    while True:
        try:
            command, argument = conn.recv()
        except EOFError:
            return
        if command == "close":
            conn.send(("ok", None))
            return
        try:
            conn.send(("ok", runner.reset(argument) if command == "reset" else runner.step(argument)))
        except Exception as error:  # noqa: BLE001 - reported to the server, which raises it there
            conn.send(("error", f"{type(error).__name__}: {error}"))


def _stdout_to_stderr() -> None:
    """Sends this process's stdout (OpenSim's C++ log and osim-rl's prints) to stderr.

    The server's stdout carries the lines launchers read ("... listening on HOST:PORT"); a worker must not mix in.
    """
    import os
    import sys

    try:
        sys.stdout.flush()
        os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    except (AttributeError, OSError, ValueError):
        pass  # no real file descriptors (e.g. captured by a test runner): nothing to protect


def _silence_chatter() -> None:
    """Drops Python-level output and lowers OpenSim's log level to warnings (see :func:`main`)."""
    import importlib.util
    import os
    import sys
    import warnings

    devnull = open(os.devnull, "w")  # kept open for the life of this process
    sys.stdout = sys.stderr = devnull
    warnings.simplefilter("ignore")
    if importlib.util.find_spec("opensim") is not None:
        import opensim

        opensim.Logger.setLevelString("warn")


class _Runner:
    """Drives one osim-rl environment in the worker: old-gym API in, Gymnasium's five-tuple parts out."""

    def __init__(self, env: Any, observation: str) -> None:
        self.env = env
        self.observation = observation
        self._reset_takes_seed = "seed" in inspect.signature(env.reset).parameters

    def describe(self) -> dict[str, Any]:
        first = self.reset(None)
        size = int(np.prod(self.env.action_space.shape))
        description = {"action_size": size, "observation": first,
                       "time_limit": int(getattr(self.env.spec, "timestep_limit", 0) or 0)}
        space = getattr(self.env, "observation_space", None)
        if self.observation == "flat" and space is not None:
            low, high = np.asarray(space.low, dtype=np.float64), np.asarray(space.high, dtype=np.float64)
            # osim-rl 2.1.x declares all-zero bounds and a wrong size; use its bounds only when they are real.
            if low.size == len(first) and np.all(low < high):
                description["low"], description["high"] = low.tolist(), high.tolist()
        return description

    def reset(self, seed: int | None) -> Any:
        if seed is not None:
            # This process holds exactly one environment, so its global RNGs are that environment's RNGs. Seeding
            # them here also makes seed 0 work: osim-rl's target field tests `if seed:` and skips 0.
            random.seed(seed)
            np.random.seed(seed)
        if self._reset_takes_seed:
            self.env.reset(seed=seed)
        else:
            self.env.reset()
        return self._observe()

    def step(self, action: list[float]) -> tuple[Any, float, bool, bool]:
        _, reward, done, _ = self.env.step(np.asarray(action, dtype=np.float64))
        terminated = bool(self.env.is_done())
        return self._observe(), float(reward), terminated, bool(done) and not terminated

    def _observe(self) -> Any:
        if self.observation == "flat":
            return [float(x) for x in np.asarray(self.env.get_observation(), dtype=np.float64).reshape(-1)]
        return _plain(self.env.get_observation_dict())


def _plain(value: Any) -> Any:
    """Nested dicts of float lists (picklable, numpy-free) from an osim-rl observation dict."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    array = np.asarray(value, dtype=np.float64)
    return array.tolist()


class WorkerHandle:
    """The server side of one worker process.

    Args:
        factory: ``module:Class`` of the osim-rl environment (only from trusted code, never from a client).
        kwargs: Constructor keyword arguments (``visualize`` is always False).
        observation: ``"flat"`` or ``"dict"``.
        timeout: Seconds to wait for any answer (start-up included) before declaring the worker dead.
        apply_compat: Install :mod:`gymlink_envserver.osim.compat` in the worker first.
        quiet: Keep the simulator's chatter (OpenSim's info log, the env's prints) out of the server's log.
    """

    def __init__(self, factory: str, kwargs: dict, observation: str, timeout: float, apply_compat: bool,
                 quiet: bool = False) -> None:
        context = multiprocessing.get_context("spawn")
        self._conn, child = context.Pipe()
        self.factory = factory
        self.timeout = timeout
        self.process = context.Process(target=main, args=(child, factory, kwargs, observation, apply_compat, quiet),
                                       name=f"gymlink-osim-{factory}", daemon=True)
        self.process.start()
        child.close()
        self.broken = False
        self.description = self._answer("start")

    def call(self, command: str, argument: Any) -> Any:
        """Sends one request and returns its payload.

        Raises:
            RuntimeError: When the worker reports an error, dies, or does not answer in time.
        """
        if self.broken:
            raise RuntimeError(f"the osim worker for {self.factory} failed earlier; reset to start a new one")
        try:
            self._conn.send((command, argument))
        except (BrokenPipeError, OSError) as error:
            self.broken = True
            raise RuntimeError(f"the osim worker for {self.factory} (pid {self.process.pid}) is gone: {error}") \
                from None
        return self._answer(command)

    def stop(self) -> None:
        """Asks the worker to exit, then makes sure it has (idempotent)."""
        if self.process.is_alive() and not self.broken:
            try:
                self._conn.send(("close", None))
                if self._conn.poll(5):
                    self._conn.recv()
            except (BrokenPipeError, EOFError, OSError):
                pass
        self.process.join(5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(5)
        self._conn.close()
        self.broken = True

    def _answer(self, command: str) -> Any:
        if not self._conn.poll(self.timeout):
            self.broken = True
            alive = self.process.is_alive()
            self.stop()
            raise RuntimeError(f"the osim worker for {self.factory} (pid {self.process.pid}) "
                               + ("did not answer " + command + f" within {self.timeout:g} s" if alive
                                  else f"exited with code {self.process.exitcode} during {command}"))
        try:
            status, payload = self._conn.recv()
        except EOFError:
            self.broken = True
            self.process.join(5)
            raise RuntimeError(f"the osim worker for {self.factory} (pid {self.process.pid}) exited with code "
                               f"{self.process.exitcode} during {command}") from None
        if status != "ok":
            if command == "start":
                self.broken = True
                self.stop()
            raise RuntimeError(f"osim worker for {self.factory}: {payload}")
        return payload
