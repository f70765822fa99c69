"""Checks a decoded action against a Gymnasium action space and converts it to the space's native form.

Problems are phrased exactly like the Java client's ``Space.check``: "has shape [3], expected [1]", "item 0 has ...",
"entry 'x' is NaN at index 1". :func:`conform` prefixes them with the environment id.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from gymnasium import spaces

from gymlink_envserver.errors import InvalidAction, UnsupportedSpace, shape_text

_INTEGER_KINDS = "iub"


def conform(env_id: str, space: spaces.Space, action: Any) -> Any:
    """Validates ``action`` against ``space`` and returns it as the space's native value.

    Args:
        env_id: The environment id, for the message.
        space: The action space.
        action: A decoded action: an ndarray, a tuple of items or a dict of entries.

    Returns:
        The action with the space's dtype (Discrete: a numpy int64 scalar; Tuple: a tuple; Dict: a dict in key order).

    Raises:
        InvalidAction: Naming the env id and the problem, expected versus actual.
    """
    try:
        return _conform(space, action)
    except _Problem as problem:
        raise InvalidAction(f"action for '{env_id}' {problem}") from None


@dataclass(frozen=True)
class BoxBounds:
    """A Box action space prepared for checking a whole batch of actions in one vectorised test.

    Attributes:
        shape: The shape of one action.
        dtype: The space's dtype.
        low: Lower bounds, of ``shape``.
        high: Upper bounds, of ``shape``.
        key: Equal for equal spaces: instances whose keys match can be checked together.
    """

    shape: tuple[int, ...]
    dtype: np.dtype
    low: np.ndarray
    high: np.ndarray
    key: tuple

    @classmethod
    def of(cls, space: spaces.Space) -> BoxBounds | None:
        """The bounds of a Box space; None for any other space."""
        if not isinstance(space, spaces.Box):
            return None
        return cls(tuple(space.shape), space.dtype, space.low, space.high,
                   (tuple(space.shape), space.dtype.str, space.low.tobytes(), space.high.tobytes()))


def conform_rows(bounds: BoxBounds, rows: np.ndarray) -> np.ndarray | None:
    """Checks a stack of actions (shape ``[n, *bounds.shape]``) in one go.

    Returns:
        The actions in the space's dtype, or None when any of them is not in the space: the caller then checks them
        one by one with :func:`conform`, whose message names the problem.
    """
    allowed_kinds = {"f": "fiub", "b": "bi"}.get(bounds.dtype.kind, _INTEGER_KINDS)
    if rows.shape[1:] != bounds.shape or rows.dtype.kind not in allowed_kinds:
        return None
    # NaN fails both comparisons.
    if not np.all((rows >= bounds.low) & (rows <= bounds.high)):
        return None
    return rows.astype(bounds.dtype, copy=False)


class _Problem(Exception):
    """An internal carrier for a check phrase while it travels up nested spaces."""


def _conform(space: spaces.Space, value: Any) -> Any:
    if isinstance(space, spaces.Box):
        return _conform_box(space, value)
    if isinstance(space, spaces.Discrete):
        return _conform_discrete(space, value)
    if isinstance(space, spaces.MultiDiscrete):
        return _conform_multi_discrete(space, value)
    if isinstance(space, spaces.MultiBinary):
        return _conform_multi_binary(space, value)
    if isinstance(space, spaces.Tuple):
        return _conform_tuple(space, value)
    if isinstance(space, spaces.Dict):
        return _conform_dict(space, value)
    raise UnsupportedSpace(f"action space {space} is not supported by gymlink.v1")


def _kind(value: Any) -> str:
    if isinstance(value, tuple):
        return f"a Tuple value of {len(value)} items"
    if isinstance(value, dict):
        return f"a Dict value with keys {sorted(value)}"
    return f"a tensor of dtype {np.asarray(value).dtype}"


def _tensor(value: Any, expected: Callable[[], str]) -> np.ndarray:
    if not isinstance(value, np.ndarray):
        raise _Problem(f"is {_kind(value)}, expected {expected()}")
    return value


def _check_shape(value: np.ndarray, shape: tuple[int, ...]) -> None:
    if value.shape != tuple(shape):
        raise _Problem(f"has shape {shape_text(value.shape)}, expected {shape_text(shape)}")


def _check_integer(value: np.ndarray, space_dtype: np.dtype) -> None:
    if value.dtype.kind not in _INTEGER_KINDS:
        raise _Problem(f"has dtype {value.dtype}, expected an integer dtype such as {space_dtype}")


def _conform_box(space: spaces.Box, value: Any) -> np.ndarray:
    array = _tensor(value, lambda: f"a Box value of shape {shape_text(space.shape)}")
    _check_shape(array, space.shape)
    allowed_kinds = {"f": "fiub", "b": "bi"}.get(space.dtype.kind)
    if allowed_kinds is None:
        _check_integer(array, space.dtype)
    elif array.dtype.kind not in allowed_kinds:
        raise _Problem(f"has dtype {array.dtype}, expected {space.dtype}")
    flat, low, high = array.reshape(-1), space.low.reshape(-1), space.high.reshape(-1)
    # One vectorised test on the hot path (NaN fails both comparisons); find the culprit only when it fails.
    if not np.all((flat >= low) & (flat <= high)):
        _explain_out_of_box(flat, low, high)
    return array.astype(space.dtype, copy=False)


def _explain_out_of_box(flat: np.ndarray, low: np.ndarray, high: np.ndarray) -> None:
    for i, x in enumerate(flat.tolist()):
        if x != x:  # NaN
            raise _Problem(f"is NaN at index {i}")
        if x < low[i]:
            raise _Problem(f"has {flat[i]} at index {i}, below the lower bound {low[i]}")
        if x > high[i]:
            raise _Problem(f"has {flat[i]} at index {i}, above the upper bound {high[i]}")


def _conform_discrete(space: spaces.Discrete, value: Any) -> np.int64:
    first, last = int(space.start), int(space.start + space.n - 1)
    array = _tensor(value, lambda: f"a Discrete value in [{first}, {last}]")
    if array.shape != ():
        raise _Problem(f"has shape {shape_text(array.shape)}, expected a scalar [] in [{first}, {last}]")
    _check_integer(array, space.dtype)
    number = int(array)
    if not first <= number <= last:
        raise _Problem(f"is {number}, expected an integer in [{first}, {last}]")
    return np.int64(number)


def _conform_multi_discrete(space: spaces.MultiDiscrete, value: Any) -> np.ndarray:
    array = _tensor(value, lambda: f"a MultiDiscrete value of shape {shape_text(space.shape)}")
    _check_shape(array, space.shape)
    _check_integer(array, space.dtype)
    flat = array.reshape(-1).astype(np.int64)
    start = space.start.reshape(-1).astype(np.int64)
    nvec = space.nvec.reshape(-1).astype(np.int64)
    bad = np.flatnonzero((flat < start) | (flat >= start + nvec))
    if len(bad):
        i = int(bad[0])
        raise _Problem(f"has {flat[i]} at index {i}, expected an integer in [{start[i]}, {start[i] + nvec[i] - 1}]")
    return array.astype(space.dtype, copy=False)


def _conform_multi_binary(space: spaces.MultiBinary, value: Any) -> np.ndarray:
    array = _tensor(value, lambda: f"a MultiBinary value of shape {shape_text(space.shape)}")
    _check_shape(array, space.shape)
    _check_integer(array, space.dtype)
    flat = array.reshape(-1)
    bad = np.flatnonzero((flat != 0) & (flat != 1))
    if len(bad):
        i = int(bad[0])
        raise _Problem(f"has {flat[i]} at index {i}, expected 0 or 1")
    return array.astype(space.dtype, copy=False)


def _conform_tuple(space: spaces.Tuple, value: Any) -> tuple:
    if not isinstance(value, tuple):
        raise _Problem(f"is {_kind(value)}, expected a Tuple value of {len(space.spaces)} items")
    if len(value) != len(space.spaces):
        raise _Problem(f"has {len(value)} items, expected {len(space.spaces)}")
    items = []
    for i, (subspace, item) in enumerate(zip(space.spaces, value, strict=True)):
        try:
            items.append(_conform(subspace, item))
        except _Problem as problem:
            raise _Problem(f"item {i} {problem}") from None
    return tuple(items)


def _conform_dict(space: spaces.Dict, value: Any) -> dict:
    keys = list(space.spaces)
    if not isinstance(value, dict):
        raise _Problem(f"is {_kind(value)}, expected a Dict value with keys {keys}")
    if set(value) != set(keys):
        raise _Problem(f"has keys {sorted(value)}, expected {keys}")
    entries = {}
    for key in keys:
        try:
            entries[key] = _conform(space.spaces[key], value[key])
        except _Problem as problem:
            raise _Problem(f"entry '{key}' {problem}") from None
    return entries
