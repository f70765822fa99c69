"""Vectorised steps (``StepBatch``): many instances, one action each, stepped at once where their environments allow.

Every instance of a batch is locked and its action checked before any instance steps, so an invalid request steps
nothing. Then instances whose environments *wait* while stepping (a worker process, a remote simulator, ``sleep``)
step concurrently on a bounded thread pool, while the others step one after the other in the calling thread: for an
environment that computes in Python, threads would only contend for the GIL.

An environment declares that it waits with ``metadata["gymlink.concurrent_step"] = True`` (the osim-rl envs and the
``GymlinkTest/Sleep-v0`` test env do); an operator can declare more ids with ``--concurrent-step``.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np

from gymlink_envserver.actions import conform, conform_rows
from gymlink_envserver.auth import ANONYMOUS
from gymlink_envserver.errors import EnvServerError
from gymlink_envserver.instances import Instance, InstanceTable, StepOutcome, check_distinct

DEFAULT_STEP_THREADS = 64
"""Threads stepping waiting environments concurrently, shared by every batch of a server."""


@dataclass(frozen=True)
class BatchResult:
    """What one instance of a batch did.

    Attributes:
        step: The step's outcome, or None when the step raised.
        reset: The autoreset's ``(observation, info)`` when the step ended the episode and autoreset was asked for.
        error: What the environment raised in the step or the autoreset, else None.
    """

    step: StepOutcome | None
    reset: tuple[Any, dict] | None = None
    error: EnvServerError | None = None


class BatchStepper:
    """Steps batches of instances of one :class:`InstanceTable`, concurrently where the environments wait.

    Args:
        table: Where the instances live.
        threads: Size of the pool that steps waiting environments (bounds the threads a server spends on them).
        concurrent_ids: Environment ids to step concurrently even though they do not declare it.
    """

    def __init__(self, table: InstanceTable, threads: int = DEFAULT_STEP_THREADS,
                 concurrent_ids: Iterable[str] = ()) -> None:
        if threads < 1:
            raise ValueError(f"threads is {threads}, expected >= 1")
        self.table = table
        self.threads = threads
        self.concurrent_ids = frozenset(concurrent_ids)
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="gymlink-step")

    def steps_concurrently(self, instance: Instance) -> bool:
        """Whether ``instance`` may step on a pool thread beside others (its environment waits while stepping)."""
        return instance.declares_concurrent_step or instance.env_id in self.concurrent_ids

    def step(self, ids: list[str], actions: Sequence[Any], autoreset: bool = False, isolate_failures: bool = False,
             principal: Hashable = ANONYMOUS) -> list[tuple[Instance, BatchResult]]:
        """Steps several instances, one action each.

        Args:
            ids: The instances, distinct.
            actions: The decoded action of each; an array ``[n, ...]`` of stacked actions is checked in one go.
            autoreset: Reset, in the same call, every instance whose episode the step ends (no seed).
            isolate_failures: Return an environment's failure in its own result instead of failing the batch.
            principal: The caller; only its instances can be stepped.

        Returns:
            Each instance with its result, in request order.

        Raises:
            InvalidArgument: When an id appears twice.
            EnvServerError: The first validation error (nothing stepped); without ``isolate_failures`` also the
                first environment failure (in request order), after every instance has finished.
        """
        check_distinct(ids)
        instances = [self.table.get(instance_id, principal) for instance_id in ids]
        locked: list[Instance] = []
        try:
            # In id order, so that two batches sharing instances cannot deadlock.
            for instance in sorted(instances, key=lambda i: i.instance_id):
                instance.lock.acquire()
                locked.append(instance)
            for instance in instances:
                instance.check_steppable_locked()
            results = self._step_all(instances, _conform(instances, actions), autoreset)
        finally:
            for instance in locked:
                instance.touch()
                instance.lock.release()
        if not isolate_failures:
            failed = next((result.error for result in results if result.error is not None), None)
            if failed is not None:
                raise failed
        return list(zip(instances, results, strict=True))

    def close(self) -> None:
        """Stops the pool without waiting: a step stuck in an environment must not hold up the server's stop."""
        self._pool.shutdown(wait=False, cancel_futures=True)

    def _step_all(self, instances: list[Instance], actions: list[Any], autoreset: bool) -> list[BatchResult]:
        futures: dict[int, Future[BatchResult]] = {}
        if len(instances) > 1:
            futures = {k: self._pool.submit(_step_one, inst, actions[k], autoreset)
                       for k, inst in enumerate(instances) if self.steps_concurrently(inst)}
        # The others step here meanwhile; every future is awaited before the locks are released.
        results = [None if k in futures else _step_one(inst, actions[k], autoreset)
                   for k, inst in enumerate(instances)]
        for k, future in futures.items():
            results[k] = future.result()
        return results


def _conform(instances: list[Instance], actions: Sequence[Any]) -> Sequence[Any]:
    """Checks every action against its instance's space: in one vectorised test when they share a Box space."""
    bounds = instances[0].action_bounds if instances else None
    if isinstance(actions, np.ndarray):
        if bounds is not None and all(
                inst.action_bounds is not None and inst.action_bounds.key == bounds.key for inst in instances):
            rows = conform_rows(bounds, actions)
            if rows is not None:
                return rows
        # Rows of a 1-D stack are numpy scalars; the checks expect arrays (0-d for a Discrete action).
        actions = [np.asarray(row) for row in actions]
    return [conform(inst.env_id, inst.action_space, action) for inst, action in zip(instances, actions, strict=True)]


def _step_one(instance: Instance, action: Any, autoreset: bool) -> BatchResult:
    """Steps (and autoresets) one locked instance; an environment failure becomes the result's error."""
    try:
        outcome = instance.step_locked(action)
    except EnvServerError as error:
        return BatchResult(step=None, error=error)
    if not (autoreset and (outcome[2] or outcome[3])):
        return BatchResult(step=outcome)
    try:
        return BatchResult(step=outcome, reset=instance.reset_locked())
    except EnvServerError as error:
        return BatchResult(step=outcome, error=error)

