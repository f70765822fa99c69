"""The server's live environment instances: making, locking, stepping, closing and reaping idle ones.

Transport-agnostic: the gRPC service and the HTTP API both drive an :class:`InstanceTable`.
"""

from __future__ import annotations

import collections
import logging
import secrets
import threading
import time
from collections.abc import Callable, Hashable
from typing import Any

import gymnasium as gym

from gymlink_envserver import actions
from gymlink_envserver.auth import ANONYMOUS
from gymlink_envserver.envmaker import make_env
from gymlink_envserver.errors import (
    EnvironmentFailed,
    InstanceNotFound,
    InvalidArgument,
    ResetNeeded,
    TooManyInstances,
    clip,
    echo,
)
from gymlink_envserver.kwargs_policy import KwargsPolicy
from gymlink_envserver.registry import Allowlist
from gymlink_envserver.repeat import MAX_ACTION_REPEAT, ActionRepeat

logger = logging.getLogger("gymlink_envserver")

StepOutcome = tuple[Any, float, bool, bool, dict]

MAX_SEED = 2**63 - 1
"""Largest reset seed (the protocol's int64; HTTP clients could send any integer)."""

CONCURRENT_STEP_KEY = "gymlink.concurrent_step"
"""The ``metadata`` key with which an environment says that its steps wait and may run on several threads at once."""


class Instance:
    """One made environment, stepped by one caller at a time (its ``lock``).

    Attributes:
        env_id: The id it was made from.
        instance_id: Opaque id naming it in requests.
        env: The Gymnasium environment (with its registered wrappers).
        observation_space: The environment's observation space.
        action_space: The environment's action space.
        action_bounds: The action space prepared for batch checks when it is a Box, else None.
        declares_concurrent_step: Whether the environment's metadata says its steps wait (``gymlink.concurrent_step``).
        action_repeat: How many frames each step applies its action for (1: no repeat; see :class:`ActionRepeat`).
        owner: The session that made it (closed with the session), or None.
        principal: Who may use it: the token's principal of the caller that made it, or, on a server without
            tokens, the session that made it (:data:`~gymlink_envserver.auth.ANONYMOUS` for unary and HTTP calls).
        lock: Held for every reset, step and close, so one instance never runs two calls at once.
        last_used: Clock reading at the end of the last call, for the idle timeout.
    """

    def __init__(self, env_id: str, instance_id: str, env: gym.Env, owner: Hashable | None,
                 clock: Callable[[], float], principal: Hashable = ANONYMOUS, action_repeat: int = 1) -> None:
        self.env_id = env_id
        self.action_repeat = action_repeat
        self.instance_id = instance_id
        self.env = env
        self.observation_space = env.observation_space
        self.action_space = env.action_space
        self.action_bounds = actions.BoxBounds.of(env.action_space)
        self.declares_concurrent_step = bool(env.metadata.get(CONCURRENT_STEP_KEY))
        self.owner = owner
        self.principal = principal
        self.lock = threading.Lock()
        self._clock = clock
        self.last_used = clock()
        self.closed = False
        self._needs_reset = "reset() has not been called yet"

    def __repr__(self) -> str:
        return f"instance '{self.instance_id}' of '{self.env_id}'"

    def reset(self, seed: int | None = None, options: dict | None = None) -> tuple[Any, dict]:
        """Starts a new episode (Gymnasium's ``reset(seed=, options=)``), holding the lock.

        Raises:
            InvalidArgument: When the seed is negative or too large, or the environment refuses the options.
            EnvironmentFailed: When the environment raises otherwise.
        """
        if seed is not None and not 0 <= seed <= MAX_SEED:
            raise InvalidArgument(f"seed for {self!r} is {echo(seed, 40)}, expected an integer in [0, 2^63 - 1]")
        with self.lock:
            try:
                return self.reset_locked(seed, options)
            finally:
                self.touch()

    def reset_locked(self, seed: int | None = None, options: dict | None = None) -> tuple[Any, dict]:
        """Starts a new episode (the caller holds the lock; the seed is already checked).

        Raises:
            InstanceNotFound: When the instance was closed.
            InvalidArgument: When the environment refuses the options.
            EnvironmentFailed: When the environment raises otherwise.
        """
        self._check_open()
        try:
            observation, info = self.env.reset(seed=seed, options=options or None)
        except (ValueError, TypeError, KeyError, AssertionError) as error:
            self._needs_reset = "the previous reset raised an exception"
            if not options:
                raise self._failure("reset", error) from error
            # Gymnasium's envs check their options with ValueError (e.g. Pendulum's x_init); the client sent them.
            raise InvalidArgument(f"reset options {echo(options)} for {self!r} were refused: "
                                  f"{type(error).__name__}: {clip(str(error))}") from error
        except Exception as error:  # noqa: BLE001 - any env failure becomes INTERNAL
            self._needs_reset = "the previous reset raised an exception"
            raise self._failure("reset", error) from error
        self._needs_reset = None
        return observation, info

    def step(self, action: Any) -> StepOutcome:
        """Checks ``action`` against the action space and advances the episode by it, holding the lock.

        Raises:
            InvalidAction: When the action is not in the action space.
            ResetNeeded: Before the first reset and after the episode ended.
            EnvironmentFailed: When the environment raises.
        """
        with self.lock:
            try:
                return self.step_locked(self.conform_locked(action))
            finally:
                self.touch()

    def touch(self) -> None:
        """Marks the instance used now (at the end of a call, so a slow step does not count as idle time)."""
        self.last_used = self._clock()

    def conform_locked(self, action: Any) -> Any:
        """Checks (with the lock held) that the instance can step and that ``action`` fits; returns it native."""
        self.check_steppable_locked()
        return actions.conform(self.env_id, self.action_space, action)

    def check_steppable_locked(self) -> None:
        """Checks (with the lock held) that the instance is open and inside an episode.

        Raises:
            InstanceNotFound: When the instance was closed.
            ResetNeeded: Before the first reset and after the episode ended.
        """
        self._check_open()
        if self._needs_reset:
            raise ResetNeeded(f"{self!r} needs reset: {self._needs_reset}")

    def step_locked(self, action: Any) -> StepOutcome:
        """Steps with an action already conformed by :meth:`conform_locked` (the caller holds the lock)."""
        try:
            observation, reward, terminated, truncated, info = self.env.step(action)
        except Exception as error:  # noqa: BLE001 - any env failure becomes INTERNAL
            self._needs_reset = "the previous step raised an exception"
            raise self._failure("step", error) from error
        if terminated or truncated:
            self._needs_reset = "the episode ended ({})".format("terminated" if terminated else "truncated")
        return observation, float(reward), bool(terminated), bool(truncated), info

    def close(self, timeout: float | None = None) -> bool:
        """Closes the environment (idempotent); waits for a call in progress to finish.

        Args:
            timeout: Most seconds to wait for a call in progress; None waits as long as it takes.

        Returns:
            False when a call was still in progress after ``timeout`` (the environment is left as it is).
        """
        if not self.lock.acquire(timeout=-1 if timeout is None else timeout):
            return False
        try:
            if self.closed:
                return True
            self.closed = True
            try:
                self.env.close()
            except Exception:  # noqa: BLE001 - a failing close must not stop the others
                logger.warning("closing %r raised", self, exc_info=True)
            return True
        finally:
            self.lock.release()

    def _check_open(self) -> None:
        if self.closed:
            raise InstanceNotFound(f"{self!r} was closed")

    def _failure(self, operation: str, error: Exception) -> EnvironmentFailed:
        logger.warning("%r raised in %s", self, operation, exc_info=True)
        return EnvironmentFailed(
            f"environment '{self.env_id}' (instance {self.instance_id}) raised {type(error).__name__}: {error}")


class InstanceTable:
    """All live instances of a server, with an instance limit and an idle timeout.

    Args:
        allowlist: Which environment ids may be made.
        max_instances: Most instances alive at once; 0 for no limit.
        idle_timeout: Seconds after which an instance nobody touched is closed by :meth:`reap_idle`; 0 for never.
        clock: Monotonic clock in seconds (injectable for tests).
        kwargs_policy: Which client kwargs ``make`` accepts; None for the default policy.
        max_per_principal: Most live instances of one principal; 0 for no quota beyond ``max_instances``.
    """

    _FORGET_AFTER = 4096  # closed ids remembered so that later calls get "was closed ..." rather than "unknown"

    def __init__(self, allowlist: Allowlist, max_instances: int = 0, idle_timeout: float = 0.0,
                 clock: Callable[[], float] = time.monotonic, kwargs_policy: KwargsPolicy | None = None,
                 max_per_principal: int = 0) -> None:
        if max_instances < 0:
            raise ValueError(f"max_instances is {max_instances}, expected >= 0 (0 = unlimited)")
        if idle_timeout < 0:
            raise ValueError(f"idle_timeout is {idle_timeout}, expected >= 0 (0 = never)")
        self.allowlist = allowlist
        self.kwargs_policy = kwargs_policy or KwargsPolicy.load(None)
        self.max_instances = max_instances
        self.max_per_principal = max_per_principal
        self.idle_timeout = idle_timeout
        self._clock = clock
        self._lock = threading.Lock()
        self._instances: dict[str, Instance] = {}
        self._pending = 0
        # Closed id -> (principal, why), so that later calls of the same principal learn why it is gone.
        self._closed_ids: collections.OrderedDict[str, tuple[Hashable, str]] = collections.OrderedDict()

    def make(self, env_id: str, kwargs: dict | None = None, max_episode_steps: int | None = None,
             owner: Hashable | None = None, principal: Hashable = ANONYMOUS, action_repeat: int = 1) -> Instance:
        """Makes an instance of an allowed environment.

        Args:
            env_id: Registered id or allowed ``module:Class`` entry point.
            kwargs: Keyword arguments for ``gymnasium.make``.
            max_episode_steps: Overrides the registered time limit.
            owner: The session making it, closed by :meth:`close_owned`; None for unowned.
            principal: Who may use it (see :class:`Instance`); calls of anyone else get NOT_FOUND.
            action_repeat: Frames each step applies its action for (:class:`ActionRepeat`, outside the time limit,
                which keeps counting frames); 1 for none.

        Raises:
            UnknownEnvironment, EnvironmentNotAllowed: From the allowlist.
            TooManyInstances: When the instance limit is reached.
            InvalidArgument: When ``max_episode_steps`` is not positive, ``action_repeat`` is outside 1 to
                :data:`MAX_ACTION_REPEAT`, or the kwargs policy refuses the kwargs.
            EnvironmentFailed: When making the environment raises.
        """
        self.allowlist.check(env_id)
        kwargs = self.kwargs_policy.check(env_id, kwargs or {})
        if max_episode_steps is not None and max_episode_steps <= 0:
            raise InvalidArgument(f"max_episode_steps for '{env_id}' is {max_episode_steps}, expected > 0")
        if not 1 <= action_repeat <= MAX_ACTION_REPEAT:
            raise InvalidArgument(f"action_repeat for '{env_id}' is {action_repeat}, expected 1 to {MAX_ACTION_REPEAT}")
        self._reserve(env_id, principal)
        try:
            env = make_env(env_id, kwargs or {}, max_episode_steps)
            if action_repeat > 1:
                env = ActionRepeat(env, action_repeat)
            instance_id = secrets.token_hex(6)
            instance = Instance(env_id, instance_id, env, owner, self._clock, principal, action_repeat)
            with self._lock:
                self._instances[instance_id] = instance
        finally:
            with self._lock:
                self._pending -= 1
        logger.info("made %s instance %s%s%s [%d live]", env_id, instance_id,
                    f" (action repeat {action_repeat})" if action_repeat > 1 else "",
                    f" for {owner}" if owner is not None else "", len(self))
        return instance

    def get(self, instance_id: str, principal: Hashable = ANONYMOUS) -> Instance:
        """The live instance with this id that ``principal`` may use; marks it used.

        Raises:
            InstanceNotFound: Naming the id, and why it is gone when it was closed or expired. Another principal's
                instance is "not known", exactly like an id that never existed.
        """
        with self._lock:
            instance = self._instances.get(instance_id)
            if instance is None or instance.principal != principal:
                closed = self._closed_ids.get(instance_id)
                if instance is None and closed is not None and closed[0] == principal:
                    raise InstanceNotFound(f"instance '{instance_id}' {closed[1]}")
                raise InstanceNotFound(f"instance '{clip(instance_id)}' is not known to this server")
            instance.touch()
            return instance

    def close(self, instance_id: str, reason: str = "closed by the client", principal: Hashable = ANONYMOUS) -> None:
        """Closes and forgets an instance of ``principal``.

        Raises:
            InstanceNotFound: When ``principal`` has no such live instance.
        """
        self._close(self.get(instance_id, principal), reason)

    def close_owned(self, owner: Hashable, reason: str = "closed when its session ended") -> int:
        """Closes every instance ``owner`` made; returns how many (idempotent)."""
        owned = [i for i in self.list() if i.owner == owner]
        for instance in owned:
            self._close(instance, reason)
        return len(owned)

    def close_all(self, reason: str = "closed when the server stopped", busy_timeout: float | None = None) -> int:
        """Closes every instance; returns how many were closed.

        Args:
            reason: Why, for later calls and the log.
            busy_timeout: Most seconds to wait for each instance busy in a call; None waits as long as it takes.
                An instance still busy then is forgotten without closing (the server is going away).
        """
        return sum(self._close(instance, reason, busy_timeout) for instance in self.list())

    def reap_idle(self) -> list[str]:
        """Closes unowned instances untouched for longer than the idle timeout (skipping ones busy right now).

        Returns:
            The ids closed.
        """
        if not self.idle_timeout:
            return []
        deadline = self._clock() - self.idle_timeout
        reaped = []
        for instance in self.list():
            # Session instances live exactly as long as their stream (keepalive notices a vanished peer), so an
            # agent's evaluation env is not taken away while it trains between evaluations.
            if instance.owner is None and instance.last_used < deadline and not instance.lock.locked():
                self._close(instance, f"was closed after being idle for more than {self.idle_timeout:g} s")
                reaped.append(instance.instance_id)
        return reaped

    def list(self, principal: Hashable | None = None) -> list[Instance]:
        """A snapshot of the live instances (of ``principal`` only, when given)."""
        with self._lock:
            return [i for i in self._instances.values() if principal is None or i.principal == principal]

    def __len__(self) -> int:
        with self._lock:
            return len(self._instances)

    def _reserve(self, env_id: str, principal: Hashable) -> None:
        with self._lock:
            live = len(self._instances) + self._pending
            if self.max_instances and live >= self.max_instances:
                raise TooManyInstances(
                    f"cannot make '{env_id}': the server holds {live} instances, its limit (--max-instances) "
                    f"is {self.max_instances}; close instances first")
            if self.max_per_principal:
                held = sum(1 for i in self._instances.values() if i.principal == principal)
                if held >= self.max_per_principal:
                    raise TooManyInstances(
                        f"cannot make '{env_id}': '{principal}' holds {held} instances, the limit per caller "
                        f"(--max-instances-per-principal) is {self.max_per_principal}; close instances first")
            self._pending += 1

    def _close(self, instance: Instance, reason: str, busy_timeout: float | None = None) -> bool:
        with self._lock:
            if self._instances.pop(instance.instance_id, None) is None:
                return False
            message = reason if reason.startswith("was ") else f"was {reason}"
            self._closed_ids[instance.instance_id] = (instance.principal, f"of '{instance.env_id}' {message}")
            while len(self._closed_ids) > self._FORGET_AFTER:
                self._closed_ids.popitem(last=False)
        if not instance.close(busy_timeout):
            logger.warning("left %s instance %s unclosed: a call on it was still running after %g s",
                           instance.env_id, instance.instance_id, busy_timeout)
            return False
        logger.info("closed %s instance %s (%s) [%d live]", instance.env_id, instance.instance_id,
                    reason.removeprefix("was "), len(self))
        return True



def check_distinct(ids: list[str]) -> None:
    """Checks in O(n) that a batch names each instance once.

    Raises:
        InvalidArgument: Naming (up to three of) the repeated ids.
    """
    if len(set(ids)) == len(ids):
        return
    repeated = [i for i, count in collections.Counter(ids).items() if count > 1]
    shown = ", ".join(f"'{i[:40]}'" for i in sorted(repeated)[:3]) + (" ..." if len(repeated) > 3 else "")
    raise InvalidArgument(f"step_batch names {len(repeated)} instance(s) more than once ({shown}), "
                          "expected distinct ids")
