"""Which keyword arguments a client may pass to ``gymnasium.make``, with type and range or size bounds.

Client kwargs reach constructors that trust them: a 800x800 FrozenLake ``desc`` takes gigabytes and seconds to make,
a MuJoCo ``frame_skip`` of 2**31 makes one step run for hours, ``xml_file`` makes the server open any path it names
(and tells which files exist), and a window (``render_mode="human"``) on a headless host makes GLFW abort the whole
process. So the server accepts, per environment, only the kwargs its policy lists, each checked at make:

- every environment: ``render_mode`` none or ``"rgb_array"`` (renders nothing until ``render()`` is called, and the
  server never calls it);
- the environments gymlink ships (Gymnasium's classic control, toy text, Box2D and MuJoCo families, osim-rl, the
  test envs): their documented scalar options, with bounds (:data:`DEFAULT_POLICY`);
- anything else, and path-valued kwargs such as MuJoCo's ``xml_file`` (only under directories the operator names):
  from a policy file given with ``--kwargs-policy FILE`` (see :meth:`KwargsPolicy.load`).

Rules are keyed by the environment's id without its ``-vN`` suffix (``"Pendulum"`` covers ``Pendulum-v1``) or by a
full id; a full id's rules are added to its name's.
"""

from __future__ import annotations

import json
import math
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from gymlink_envserver.errors import InvalidArgument, echo

ALLOWED_RENDER_MODES = ("rgb_array",)
"""``render_mode`` values a client may ask for, besides none."""

FLOAT_LIMIT = 1e6
"""Largest magnitude of a float kwarg without its own bounds (weights, costs): finite and within this."""

_VERSION = re.compile(r"-v\d+$")


@dataclass(frozen=True)
class Rule:
    """What one kwarg may be.

    Attributes:
        kind: ``bool``, ``int``, ``float``, ``str``, ``choice``, ``floats`` (a fixed-length list of floats),
            ``grid`` (a list of equal-length strings over ``alphabet``, FrozenLake's ``desc``) or ``path``.
        low: Smallest allowed number (int, float, floats).
        high: Largest allowed number (int, float, floats).
        choices: The allowed values (choice).
        length: Number of items (floats); most characters (str); most rows and columns (grid).
        alphabet: Allowed characters, and ``required`` ones that must appear (grid).
        required: Characters a grid must contain.
        under: Directories a path must resolve into (path); empty refuses every path.
    """

    kind: str
    low: float = -FLOAT_LIMIT
    high: float = FLOAT_LIMIT
    choices: tuple[Any, ...] = ()
    length: int = 64
    alphabet: str = ""
    required: str = ""
    under: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.kind not in _CHECKS:
            raise ValueError(f"kwarg rule kind is {self.kind!r}, expected one of {sorted(_CHECKS)}")

    def describe(self) -> str:
        """What the rule expects, for messages: "a number in [0, 100]"."""
        if self.kind in ("int", "float"):
            noun = "an integer" if self.kind == "int" else "a number"
            return f"{noun} in [{self.low:g}, {self.high:g}]"
        if self.kind == "floats":
            return f"a list of {self.length} numbers in [{self.low:g}, {self.high:g}]"
        if self.kind == "choice":
            return "one of " + ", ".join(repr(c) for c in self.choices)
        if self.kind == "str":
            return f"a string of at most {self.length} characters"
        if self.kind == "grid":
            return (f"a list of at most {self.length} equal-length strings of at most {self.length} characters from "
                    f"'{self.alphabet}' containing '{self.required}'")
        if self.kind == "path":
            if not self.under:
                return "no path: clients may not name server files unless --kwargs-policy allows a directory"
            return "a path under " + " or ".join(self.under)
        return "true or false"

    def convert(self, value: Any) -> Any:
        """The value as the constructor wants it.

        Raises:
            ValueError: When the value breaks the rule (the message says how, for the caller to prefix).
        """
        return _CHECKS[self.kind](self, value)


def _bool(rule: Rule, value: Any) -> bool:
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    raise ValueError


def _number(value: Any, integer: bool) -> float | int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ValueError
    if integer and not float(value).is_integer():
        raise ValueError
    return int(value) if integer else float(value)


def _int(rule: Rule, value: Any) -> int:
    number = _number(value, integer=True)
    if not rule.low <= number <= rule.high:
        raise ValueError
    return number


def _float(rule: Rule, value: Any) -> float:
    number = _number(value, integer=False)
    if not math.isfinite(number) or not rule.low <= number <= rule.high:
        raise ValueError
    return number


def _floats(rule: Rule, value: Any) -> tuple[float, ...]:
    if not isinstance(value, (list, tuple, np.ndarray)) or len(value) != rule.length:
        raise ValueError
    # Ranges such as healthy_z_range may be open-ended: infinities pass, NaN never does.
    numbers = tuple(_number(item, integer=False) for item in value)
    if not all(rule.low <= n <= rule.high or math.isinf(n) for n in numbers):
        raise ValueError
    return numbers


def _choice(rule: Rule, value: Any) -> Any:
    if isinstance(value, (str, int, float)) and not isinstance(value, bool) and value in rule.choices:
        return value
    raise ValueError


def _str(rule: Rule, value: Any) -> str:
    if isinstance(value, str) and len(value) <= rule.length:
        return value
    raise ValueError


def _grid(rule: Rule, value: Any) -> list[str]:
    if not isinstance(value, (list, tuple)) or not 0 < len(value) <= rule.length:
        raise ValueError
    if not all(isinstance(row, str) for row in value):
        raise ValueError
    width = len(value[0])
    if not 0 < width <= rule.length or any(len(row) != width for row in value):
        raise ValueError
    text = "".join(value)
    if set(text) - set(rule.alphabet) or set(rule.required) - set(text):
        raise ValueError
    return list(value)


def _path(rule: Rule, value: Any) -> str:
    if not isinstance(value, str) or not rule.under or len(value) > 4096 or "\0" in value:
        raise ValueError
    resolved = os.path.realpath(value)
    for directory in rule.under:
        root = os.path.realpath(directory)
        if os.path.commonpath([root, resolved]) == root:
            return resolved
    raise ValueError


_CHECKS = {"bool": _bool, "int": _int, "float": _float, "floats": _floats, "choice": _choice, "str": _str,
           "grid": _grid, "path": _path}

BOOL = Rule("bool")
FLOAT = Rule("float")
UNIT = Rule("float", 0.0, 1.0)
RANGE = Rule("floats", length=2)
PATH = Rule("path")

_MUJOCO: dict[str, Rule] = {
    # Each step runs frame_skip physics steps: bounded, or one step can run for hours.
    "frame_skip": Rule("int", 1, 20),
    "reset_noise_scale": Rule("float", 0.0, 10.0),
    "forward_reward_weight": FLOAT, "ctrl_cost_weight": FLOAT, "contact_cost_weight": FLOAT,
    "healthy_reward": FLOAT, "uph_cost_weight": FLOAT, "impact_cost_weight": FLOAT,
    "reward_near_weight": FLOAT, "reward_dist_weight": FLOAT, "reward_control_weight": FLOAT,
    "terminate_when_unhealthy": BOOL, "use_contact_forces": BOOL,
    "exclude_current_positions_from_observation": BOOL, "include_cfrc_ext_in_observation": BOOL,
    "include_cinert_in_observation": BOOL, "include_cvel_in_observation": BOOL,
    "include_qfrc_actuator_in_observation": BOOL,
    "healthy_z_range": RANGE, "contact_force_range": RANGE, "healthy_state_range": RANGE,
    "healthy_angle_range": RANGE, "contact_cost_range": RANGE, "impact_cost_range": RANGE,
    "main_body": Rule("int", 0, 1000),
    # The model file is a path on the server: refused unless a policy file names directories for it.
    "xml_file": PATH,
}
_LUNAR_LANDER: dict[str, Rule] = {
    "continuous": BOOL, "gravity": Rule("float", -11.99, -0.01), "enable_wind": BOOL,
    "wind_power": Rule("float", 0.0, 20.0), "turbulence_power": Rule("float", 0.0, 2.0),
}
_OSIM: dict[str, Rule] = {
    "observation": Rule("choice", choices=("flat", "dict")), "recycle_episodes": Rule("int", 1, 100_000),
    "timeout": Rule("float", 1.0, 3600.0), "difficulty": Rule("int", 0, 3),
    "integrator_accuracy": Rule("float", 1e-9, 1.0), "seed": Rule("int", 0, 2**31 - 1),
}

DEFAULT_POLICY: dict[str, dict[str, Rule]] = {
    # Classic control (Gymnasium's documented arguments).
    "CartPole": {"sutton_barto_reward": BOOL},
    "Pendulum": {"g": Rule("float", 0.0, 100.0)},
    "MountainCar": {"goal_velocity": Rule("float", -1.0, 1.0)},
    "MountainCarContinuous": {"goal_velocity": Rule("float", -1.0, 1.0)},
    "Acrobot": {},
    # Toy text. FrozenLake's desc is bounded to 64 x 64: each cell costs a transition table entry per action.
    "FrozenLake": {"desc": Rule("grid", length=64, alphabet="SFHG", required="SG"),
                   "map_name": Rule("choice", choices=("4x4", "8x8")), "is_slippery": BOOL, "success_rate": UNIT,
                   "reward_schedule": Rule("floats", length=3)},
    "FrozenLake8x8": {"is_slippery": BOOL, "success_rate": UNIT, "reward_schedule": Rule("floats", length=3)},
    "CliffWalking": {"is_slippery": BOOL},
    "Taxi": {"is_rainy": BOOL, "fickle_passenger": BOOL, "rainy_probability": UNIT, "fickle_probability": UNIT},
    "Blackjack": {"natural": BOOL, "sab": BOOL},
    # Box2D.
    "LunarLander": _LUNAR_LANDER,
    "LunarLanderContinuous": _LUNAR_LANDER,
    "BipedalWalker": {"hardcore": BOOL},
    "BipedalWalkerHardcore": {},
    "CarRacing": {"lap_complete_percent": UNIT, "domain_randomize": BOOL, "continuous": BOOL},
    # MuJoCo (v4 and v5; an argument a version does not take fails at make with INVALID_ARGUMENT).
    **{name: _MUJOCO for name in ("Ant", "HalfCheetah", "Hopper", "Humanoid", "HumanoidStandup",
                                  "InvertedDoublePendulum", "InvertedPendulum", "Pusher", "Reacher", "Swimmer",
                                  "Walker2d")},
    # osim-rl through gymlink's worker-process adapter.
    **{name: _OSIM for name in ("L2M2019Env", "ProstheticsEnv", "L2RunEnv")},
    # gymlink's test environments (--test-envs).
    "GymlinkTest/Slow": {"step_seconds": Rule("float", 0.0, 60.0)},
    "GymlinkTest/Sleep": {"step_seconds": Rule("float", 0.0, 60.0)},
}


def rule_from_json(where: str, data: Any) -> Rule:
    """A :class:`Rule` from its policy-file form, e.g. ``{"type": "float", "min": 0, "max": 50}``.

    Raises:
        ValueError: Naming ``where`` and what is wrong.
    """
    if not isinstance(data, dict) or not isinstance(data.get("type"), str):
        raise ValueError(f"{where}: expected an object with a \"type\", got {echo(data)}")
    unknown = set(data) - {"type", "min", "max", "choices", "length", "alphabet", "required", "under"}
    if unknown:
        raise ValueError(f"{where}: unknown field(s) {sorted(unknown)}")
    try:
        return Rule(kind=data["type"], low=float(data.get("min", -FLOAT_LIMIT)),
                    high=float(data.get("max", FLOAT_LIMIT)), choices=tuple(data.get("choices", ())),
                    length=int(data.get("length", 64)),
                    alphabet=str(data.get("alphabet", "")), required=str(data.get("required", "")),
                    under=tuple(str(d) for d in data.get("under", ())))
    except (TypeError, ValueError) as error:
        raise ValueError(f"{where}: {error}") from None


@dataclass(frozen=True)
class KwargsPolicy:
    """The kwargs clients may pass, per environment name or id (see the module docstring).

    Attributes:
        rules: Environment name (id without ``-vN``) or full id to kwarg name to :class:`Rule`.
    """

    rules: Mapping[str, Mapping[str, Rule]] = field(default_factory=lambda: DEFAULT_POLICY)

    @classmethod
    def load(cls, path: str | Path | None) -> KwargsPolicy:
        """The default policy extended by a JSON policy file (None: the default alone).

        The file maps environment names or ids to kwarg rules; a rule given there replaces the default one::

            {"Pendulum": {"g": {"type": "float", "min": 0, "max": 50}},
             "Ant": {"xml_file": {"type": "path", "under": ["/srv/models"]}},
             "my_pkg.envs:MyEnv": {"size": {"type": "int", "min": 1, "max": 64}}}

        Raises:
            ValueError: Naming the file and the entry that is malformed.
        """
        merged = {name: dict(rules) for name, rules in DEFAULT_POLICY.items()}
        if path is None:
            return cls(merged)
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise ValueError(f"kwargs policy {path}: {error}") from None
        if not isinstance(data, dict):
            raise ValueError(f"kwargs policy {path}: expected a JSON object of environments")
        for env, rules in data.items():
            if not isinstance(rules, dict):
                raise ValueError(f"kwargs policy {path}: '{env}': expected an object of kwargs")
            entry = merged.setdefault(env, {})
            for name, rule in rules.items():
                entry[name] = rule_from_json(f"kwargs policy {path}: '{env}'.'{name}'", rule)
        return cls(merged)

    def allowed(self, env_id: str) -> dict[str, Rule]:
        """The rules for ``env_id``: its name's, then its full id's."""
        return {**self.rules.get(_VERSION.sub("", env_id), {}), **self.rules.get(env_id, {})}

    def check(self, env_id: str, kwargs: Mapping[str, Any]) -> dict[str, Any]:
        """Checks a client's kwargs for ``env_id``; returns them converted (floats as float, lists as tuples).

        Raises:
            InvalidArgument: Naming the env id, the kwarg, its value (cut short) and what the policy expects.
        """
        if not kwargs:
            return {}
        check_render_mode(env_id, kwargs)
        rules = self.allowed(env_id)
        converted: dict[str, Any] = {}
        for name, value in kwargs.items():
            if name == "render_mode":
                converted[name] = value
                continue
            rule = rules.get(name)
            if rule is None:
                names = ["render_mode", *sorted(rules)]
                allowed = ", ".join(names[:6]) + (f" and {len(names) - 6} more" if len(names) > 6 else "")
                raise InvalidArgument(
                    f"kwarg {echo(name, 60)} is not allowed for '{env_id[:100]}' (allowed: {allowed}); the server's "
                    "--kwargs-policy file can allow more")
            try:
                converted[name] = rule.convert(value)
            except (ValueError, TypeError, OverflowError):
                raise InvalidArgument(f"kwarg '{name}' for '{env_id}' is {echo(value)}, expected "
                                      f"{rule.describe()}") from None
        return converted


def check_render_mode(env_id: str, kwargs: Mapping[str, Any]) -> None:
    """Refuses every ``render_mode`` but unset/None and ``"rgb_array"``.

    Raises:
        InvalidArgument: Naming the env id and the refused value.
    """
    mode = kwargs.get("render_mode")
    if mode is None or (isinstance(mode, str) and mode in ALLOWED_RENDER_MODES):
        return
    raise InvalidArgument(
        f"render_mode for '{env_id}' is {echo(mode)}, expected none or 'rgb_array': the server never renders "
        "for a client")
