"""Which environments the server will make: the allowlist, ``--allow`` parsing and "did you mean" suggestions.

``gymnasium.make("some.module:Thing")`` imports arbitrary code, so the server makes only ids on its allowlist: by
default the environments Gymnasium itself registers (classic control, toy text, and Box2D / MuJoCo when their
packages are installed), plus whatever the operator names with ``--allow`` (registered ids or ``module:Class`` entry
points), plus the gymlink test environments with ``--test-envs``.
"""

from __future__ import annotations

import difflib
import importlib.util
import re
from collections.abc import Iterable
from dataclasses import dataclass

import gymnasium as gym

from gymlink_envserver.errors import (
    DependencyMissing,
    EnvironmentNotAllowed,
    InvalidArgument,
    UnknownEnvironment,
    clip,
)

# Gymnasium's own env families served by default, with the module each needs (None: only Gymnasium's own deps).
# The functional phys2d/tabular envs (need jax) and the mujoco-py based v2/v3 ids (callable entry points) are left out.
DEFAULT_FAMILIES: dict[str, str | None] = {
    "gymnasium.envs.classic_control": None,
    "gymnasium.envs.toy_text": None,
    "gymnasium.envs.box2d": "Box2D",
    "gymnasium.envs.mujoco": "mujoco",
    # osim-rl's challenge envs, each in a worker process (see gymlink_envserver.osim): when osim-rl is installed.
    "gymlink_envserver.osim": "osim",
}

# "Did you mean" lists the closest registered ids whose similarity (difflib ratio) is within this of the best one.
SUGGESTION_MARGIN = 0.1

# The gymlink-envserver extra (pyproject.toml) that installs each family's module.
FAMILY_EXTRAS: dict[str, str] = {
    "gymnasium.envs.box2d": "box2d",
    "gymnasium.envs.mujoco": "mujoco",
    "gymlink_envserver.osim": "osim",
}


ENV_ID = re.compile(r"^(?:[\w:.-]+/)?[\w:.-]+?(?:-v\d+)?$")
"""Gymnasium's id grammar, ``[namespace/]name[-vN]`` (its ``ENV_ID_RE``; entry points ``module:Class`` fit too)."""


def parse_allow(text: str | None, flag: str = "--allow") -> list[str]:
    """Parses an ``--allow`` value: comma-separated ids or ``module:Class`` entry points.

    Args:
        text: The flag's value, e.g. ``"ALE/Pong-v5,my_pkg.envs:MyEnv"``; None or empty for none.
        flag: The flag's name, for messages (``--concurrent-step`` takes the same form).

    Returns:
        The ids, stripped, in order, without empties or duplicates.

    Raises:
        InvalidArgument: When an entry contains whitespace or a malformed entry point.
    """
    ids: list[str] = []
    for raw in (text or "").split(","):
        item = raw.strip()
        if not item:
            continue
        if any(ch.isspace() for ch in item):
            raise InvalidArgument(f"{flag} entry '{item}' contains whitespace, expected an id or module:Class")
        if ":" in item and (item.count(":") != 1 or not all(item.split(":"))):
            raise InvalidArgument(f"{flag} entry '{item}' is not a valid entry point, expected module:Class")
        if item not in ids:
            ids.append(item)
    return ids


def is_entry_point(env_id: str) -> bool:
    """Whether ``env_id`` is a ``module:Class`` entry point (which ``gymnasium.make`` would import) not a plain id."""
    return ":" in env_id


def default_ids() -> list[str]:
    """The ids Gymnasium itself registers whose packages are installed (and osim-rl's, when installed), sorted."""
    from gymlink_envserver import osim

    osim.register()
    installed = {family for family, module in DEFAULT_FAMILIES.items() if module is None or _importable(module)}
    return sorted(env_id for env_id in gym.registry if family_of(env_id) in installed)


def family_of(env_id: str) -> str | None:
    """The package of a registered id's entry point (e.g. ``gymnasium.envs.box2d``), or None."""
    spec = gym.registry.get(env_id)
    entry = spec.entry_point if spec is not None else None
    return entry.split(":")[0].rsplit(".", 1)[0] if isinstance(entry, str) else None


def missing_dependency(env_id: str) -> str | None:
    """Why a default-family id cannot be made here: a message naming the missing module and extra, or None.

    Args:
        env_id: A registered id, e.g. ``"LunarLanderContinuous-v3"``.

    Returns:
        E.g. "environment 'LunarLanderContinuous-v3' needs the Python package 'Box2D', which is not installed where
        this env server runs; install it with: pip install 'gymlink-envserver[box2d]'", or None when the id is not
        in a default family or its module is importable.
    """
    family = family_of(env_id)
    module = DEFAULT_FAMILIES.get(family) if family is not None else None
    if module is None or _importable(module):
        return None
    return (f"environment '{env_id}' needs the Python package '{module}', which is not installed where this env "
            f"server runs; install it with: pip install 'gymlink-envserver[{FAMILY_EXTRAS[family]}]'")


def _similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b).ratio()


def _importable(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


@dataclass(frozen=True)
class AllowedEnvironment:
    """One environment the server offers.

    Attributes:
        env_id: The id to make (a registered id or an allowed entry point).
        entry_point: The registered entry point, or the id itself for an entry point.
        max_episode_steps: The registered time limit, when there is one.
    """

    env_id: str
    entry_point: str
    max_episode_steps: int | None


class Allowlist:
    """The set of environment ids a server will make, and the checks ``make`` runs against it."""

    def __init__(self, ids: Iterable[str]) -> None:
        """Creates an allowlist of exactly ``ids`` (use :meth:`build` for the server's usual list)."""
        self._ids = frozenset(ids)

    @classmethod
    def build(cls, allow: Iterable[str] = (), include_defaults: bool = True, test_envs: bool = False) -> Allowlist:
        """Builds the server's allowlist.

        Args:
            allow: Extra ids or entry points (``--allow``).
            include_defaults: Whether to include the environments Gymnasium itself registers.
            test_envs: Whether to register and include the gymlink test environments (``--test-envs``).

        Returns:
            The allowlist.
        """
        ids = set(allow)
        if include_defaults:
            ids.update(default_ids())
        if test_envs:
            from gymlink_envserver import testing_envs

            ids.update(testing_envs.register())
        return cls(ids)

    def __contains__(self, env_id: object) -> bool:
        return env_id in self._ids

    def ids(self) -> list[str]:
        """The allowed ids, sorted."""
        return sorted(self._ids)

    def entries(self) -> list[AllowedEnvironment]:
        """The allowed environments with their registration details, sorted by id."""
        result = []
        for env_id in self.ids():
            spec = None if is_entry_point(env_id) else gym.registry.get(env_id)
            entry = spec.entry_point if spec is not None else env_id
            result.append(AllowedEnvironment(
                env_id=env_id,
                entry_point=entry if isinstance(entry, str) else getattr(entry, "__qualname__", str(entry)),
                max_episode_steps=spec.max_episode_steps if spec is not None else None,
            ))
        return result

    def check(self, env_id: str) -> None:
        """Checks that ``env_id`` may be made here.

        Args:
            env_id: A registered id or a ``module:Class`` entry point.

        Raises:
            InvalidArgument: When the id is empty or not of Gymnasium's ``[namespace/]name[-vN]`` shape.
            EnvironmentNotAllowed: When the id is registered (or is an entry point) but not allowed.
            DependencyMissing: When the id is one of Gymnasium's own but the package it needs is not installed.
            UnknownEnvironment: When nothing is registered under the id; the message suggests close ids.
        """
        if not env_id:
            raise InvalidArgument("env_id is empty, expected a registered id such as 'Pendulum-v1'")
        if env_id in self._ids:
            return
        if not ENV_ID.match(env_id):
            # gym-http-api's words, which its clients know; Gymnasium's id grammar.
            raise InvalidArgument(f"Attempted to look up malformed environment ID '{clip(env_id)}': expected "
                                  "[namespace/]name[-vN], e.g. 'Pendulum-v1'")
        if is_entry_point(env_id):
            raise EnvironmentNotAllowed(
                f"entry point '{clip(env_id)}' is not allowed on this server: it would import arbitrary code; "
                f"start the server with --allow {clip(env_id)} to permit it")
        if env_id in gym.registry:
            missing = missing_dependency(env_id)
            if missing is not None:
                raise DependencyMissing(missing)
            raise EnvironmentNotAllowed(
                f"environment '{env_id}' is registered but not allowed on this server; "
                f"start the server with --allow {env_id} to permit it")
        raise UnknownEnvironment(f"environment '{clip(env_id)}' is not registered{self.suggest(env_id)}")

    def suggest(self, env_id: str) -> str:
        """A "did you mean" suffix for an unknown id (allowed ids first), or an empty string."""
        if len(env_id) > 200:  # difflib is quadratic; no registered id is anywhere near this long
            return ""
        for candidates in (self.ids(), sorted(gym.registry)):
            matches = difflib.get_close_matches(env_id, candidates, n=3, cutoff=0.6)
            if matches:
                # Only the near-best: with MuJoCo installed 'Pendulm-v1' is also 0.6-close to 'InvertedPendulum-v5'.
                best = _similarity(env_id, matches[0])
                matches = [m for m in matches if _similarity(env_id, m) >= best - SUGGESTION_MARGIN]
                return "; did you mean " + " or ".join(f"'{m}'" for m in matches) + "?"
        return ""
