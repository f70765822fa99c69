"""What the gym-http-api routes do with instances: plain gym-http-api semantics over an :class:`InstanceTable`.

:class:`OpenSessions` is the ordinary server; the grader (:mod:`gymlink_envserver.grader`) subclasses it to add
tokens, fixed seeds, limits and scoring while the routes stay the same.
"""

from __future__ import annotations

import json
import math
import threading
from typing import Any

from gymlink_envserver import actions, http_codec
from gymlink_envserver.auth import ANONYMOUS
from gymlink_envserver.errors import InstanceNotFound, InvalidAction, InvalidArgument, clip
from gymlink_envserver.instances import Instance, InstanceTable, StepOutcome


def unknown_instance(instance_id: str, error: InstanceNotFound) -> InstanceNotFound:
    """Upstream's message for an unknown id ("Instance_id X unknown"), plus the table's reason when it knew the id."""
    if error.message.endswith("is not known to this server"):
        return InstanceNotFound(f"Instance_id {clip(instance_id)} unknown")
    return InstanceNotFound(f"Instance_id {clip(instance_id)} unknown: {error.message}")


class OpenSessions:
    """The plain gym-http-api server: anyone may make allowed environments and drive them.

    Args:
        table: The server's instance table (shared with gRPC).
    """

    def __init__(self, table: InstanceTable) -> None:
        self.table = table
        self._lock = threading.Lock()
        self._create_seeds: dict[str, int] = {}

    def create(self, env_id: str, kwargs: dict, max_episode_steps: int | None, seed: int | None,
               body: dict[str, Any], principal: str = ANONYMOUS) -> str:
        """Makes an instance of ``principal``; returns its public id.

        A create ``seed`` seeds the first reset that names none.
        """
        instance = self.table.make(env_id, kwargs, max_episode_steps, principal=principal)
        if seed is not None:
            with self._lock:
                self._create_seeds[instance.instance_id] = seed
        return self.public_id(instance)

    def public_id(self, instance: Instance) -> str:
        """The id clients use for ``instance``."""
        return instance.instance_id

    def list_all(self, principal: str = ANONYMOUS) -> dict[str, str]:
        """Public instance id to env id, for every live instance of ``principal``."""
        return {self.public_id(i): i.env_id for i in self.table.list(principal)}

    def lookup(self, instance_id: str, principal: str = ANONYMOUS) -> Instance:
        """The live instance of ``principal`` that a client's id names.

        Raises:
            InstanceNotFound: "Instance_id X unknown", as upstream.
        """
        try:
            return self.table.get(instance_id, principal)
        except InstanceNotFound as error:
            raise unknown_instance(instance_id, error) from None

    def reset(self, instance: Instance, seed: int | None, options: dict) -> tuple[Any, dict]:
        """Resets; returns ``(observation, info)`` (a grader may answer a ``None`` observation)."""
        with self._lock:
            pending = self._create_seeds.pop(instance.instance_id, None)
        return instance.reset(pending if seed is None else seed, options)

    def step(self, instance: Instance, action: Any) -> StepOutcome:
        """Checks and applies one decoded action."""
        return instance.step(action)

    def action_contains(self, instance: Instance, text: str) -> bool:
        """Whether the path segment ``text`` (an int, as upstream, or any JSON value) is in the action space."""
        try:
            data = json.loads(text)
        except ValueError:
            raise InvalidArgument(f"'{clip(text)}' is not a number or a JSON value, expected e.g. 1 or [0.5]") from None
        try:
            actions.conform(instance.env_id, instance.action_space, http_codec.decode(instance.action_space, data))
        except (ValueError, InvalidAction):
            return False
        return True

    def spec(self, instance: Instance) -> dict[str, Any]:
        """The answer of gymlink's ``spec/`` route: what Gymnasium's EnvSpec says about the instance."""
        spec = instance.env.spec
        low, high = getattr(instance.env.unwrapped, "reward_range", (-math.inf, math.inf))
        return {
            "env_id": instance.env_id,
            "max_episode_steps": spec.max_episode_steps if spec is not None else None,
            "reward_range": [http_codec.jsonable(float(low)), http_codec.jsonable(float(high))],
            "render_modes": list(instance.env.metadata.get("render_modes", [])),
            "reward_threshold": spec.reward_threshold if spec is not None else None,
        }

    def monitor_start(self, instance: Instance, directory: str, force: bool) -> None:
        """Accepted for old clients; Gymnasium has no Monitor, so nothing is recorded or written."""

    def monitor_close(self, instance: Instance) -> float | None:
        """Nothing to flush; ``None`` means answer 204 (a grader returns the score)."""
        return None

    def close(self, instance: Instance) -> None:
        """Closes and forgets the instance."""
        with self._lock:
            self._create_seeds.pop(instance.instance_id, None)
        self.table.close(instance.instance_id, principal=instance.principal)
