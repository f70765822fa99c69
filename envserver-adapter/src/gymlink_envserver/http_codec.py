"""JSON codec of the gym-http-api protocol: space descriptions (SpaceInfo) and values, driven by the space schema.

numpy never reaches the JSON encoder: every value is converted through its space (or, for ``info``, through
:func:`jsonable`), so numpy scalars, arrays, infinities and NaN all come out as plain JSON.

SpaceInfo, as upstream for the old kinds and extended for the rest (old clients read only ``name`` and the upstream
fields, so the extra fields are safe):

- Discrete: ``{"name": "Discrete", "n": 3, "start": 0}``
- Box: ``{"name": "Box", "shape": [2], "low": [...], "high": [...], "dtype": "float32"}``; ``low``/``high`` flat
  row-major, ±inf as ±1e100
- MultiDiscrete: ``{"name": "MultiDiscrete", "shape": [2], "nvec": [2, 3], "start": [0, 0], "dtype": "int64"}``
  (``nvec``/``start`` flat row-major)
- MultiBinary: ``{"name": "MultiBinary", "n": 3, "shape": [3]}`` (``n`` as Gymnasium has it: int or list)
- Tuple: ``{"name": "Tuple", "spaces": [SpaceInfo, ...]}``
- Dict: ``{"name": "Dict", "spaces": {"key": SpaceInfo, ...}}`` in the space's key order

Values: Box, MultiDiscrete and MultiBinary as nested lists shaped like the space (a bare number for shape ``()``),
Discrete as an int, Tuple as a list, Dict as an object. In Box values ±inf is ±1e100 and NaN is ``null``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
from gymnasium import spaces

from gymlink_envserver.errors import UnsupportedSpace

JSON_INFINITY = 1e100
"""Stand-in for infinity: JSON has no Infinity literal (upstream gym-http-api's choice, kept for its clients)."""


def space_info(space: spaces.Space) -> dict[str, Any]:
    """Describes ``space`` as a SpaceInfo object.

    Raises:
        UnsupportedSpace: For spaces without a JSON description (Text, Graph, Sequence, OneOf, ...).
    """
    if isinstance(space, spaces.Discrete):
        return {"name": "Discrete", "n": int(space.n), "start": int(space.start)}
    if isinstance(space, spaces.Box):
        return {
            "name": "Box",
            "shape": list(space.shape),
            "low": [_finite(x) for x in np.asarray(space.low, dtype=np.float64).reshape(-1)],
            "high": [_finite(x) for x in np.asarray(space.high, dtype=np.float64).reshape(-1)],
            "dtype": space.dtype.name,
        }
    if isinstance(space, spaces.MultiDiscrete):
        return {
            "name": "MultiDiscrete",
            "shape": list(space.shape),
            "nvec": [int(x) for x in space.nvec.reshape(-1)],
            "start": [int(x) for x in space.start.reshape(-1)],
            "dtype": space.dtype.name,
        }
    if isinstance(space, spaces.MultiBinary):
        n = space.n
        return {"name": "MultiBinary", "n": int(n) if np.isscalar(n) else [int(x) for x in n],
                "shape": list(space.shape)}
    if isinstance(space, spaces.Tuple):
        return {"name": "Tuple", "spaces": [space_info(s) for s in space.spaces]}
    if isinstance(space, spaces.Dict):
        return {"name": "Dict", "spaces": {str(k): space_info(s) for k, s in space.spaces.items()}}
    raise UnsupportedSpace(
        f"space {space} has no gym-http-api description; gymlink serves Box, Discrete, MultiDiscrete, MultiBinary, "
        "Tuple and Dict")


def encode(space: spaces.Space, value: Any) -> Any:
    """Encodes an element of ``space`` as plain JSON (lists, numbers, objects); ``None`` stays ``None``."""
    if value is None:
        return None
    if isinstance(space, spaces.Discrete):
        return int(np.asarray(value).reshape(-1)[0])
    if isinstance(space, spaces.Box):
        array = np.asarray(value)
        if array.dtype.kind in "iub":
            return array.astype(np.int64).tolist() if array.dtype.kind != "b" else array.astype(bool).tolist()
        return _nested_floats(array.astype(np.float64))
    if isinstance(space, (spaces.MultiDiscrete, spaces.MultiBinary)):
        return np.asarray(value).astype(np.int64).tolist()
    if isinstance(space, spaces.Tuple):
        return [encode(s, v) for s, v in zip(space.spaces, value, strict=True)]
    if isinstance(space, spaces.Dict):
        return {str(k): encode(s, value[k]) for k, s in space.spaces.items()}
    raise UnsupportedSpace(f"space {space} has no gym-http-api value encoding")


def decode(space: spaces.Space, data: Any) -> Any:
    """Decodes JSON into the structure :func:`gymlink_envserver.actions.conform` checks (ndarray, tuple, dict).

    Only the JSON structure is checked here; shapes, dtypes and bounds are the action check's job.

    Raises:
        ValueError: With a phrase completing "action for 'X' ...", e.g. "is a ragged nested list".
    """
    if isinstance(space, spaces.Tuple):
        if not isinstance(data, list):
            raise ValueError(f"is {_describe(data)}, expected a list of {len(space.spaces)} items")
        if len(data) != len(space.spaces):
            raise ValueError(f"has {len(data)} items, expected {len(space.spaces)}")
        items = []
        for i, (subspace, item) in enumerate(zip(space.spaces, data, strict=True)):
            try:
                items.append(decode(subspace, item))
            except ValueError as problem:
                raise ValueError(f"item {i} {problem}") from None
        return tuple(items)
    if isinstance(space, spaces.Dict):
        if not isinstance(data, Mapping):
            raise ValueError(f"is {_describe(data)}, expected an object with keys {list(space.spaces)}")
        entries = {}
        for key, item in data.items():
            subspace = space.spaces.get(key)
            try:
                entries[key] = decode(subspace, item) if subspace is not None else _tensor(item, None)
            except ValueError as problem:
                raise ValueError(f"entry '{key}' {problem}") from None
        return entries
    floating = isinstance(space, spaces.Box) and space.dtype.kind == "f"
    return _tensor(data, np.float64 if floating else None)


def jsonable(obj: Any) -> Any:
    """Converts an ``info`` value (numpy scalars/arrays, tuples, nested dicts) to plain JSON.

    Non-finite floats become ±1e100 or ``None`` (NaN), unknown objects their ``repr``: info is diagnostics, and a
    value the encoder cannot carry must not turn a step into an error.
    """
    if obj is None or isinstance(obj, (bool, str)):
        return obj
    if isinstance(obj, (int, np.integer)):
        return int(obj)
    if isinstance(obj, np.bool_):
        return bool(obj)
    if isinstance(obj, (float, np.floating)):
        return _finite(float(obj))
    if isinstance(obj, np.ndarray):
        return jsonable(obj.tolist())
    if isinstance(obj, Mapping):
        return {str(k): jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple, set, frozenset)):
        return [jsonable(v) for v in obj]
    return repr(obj)


def matches_info(space: spaces.Space, partial: Mapping[str, Any]) -> bool:
    """Whether every field of a (partial) SpaceInfo equals the space's own (upstream ``observation_space/contains``).

    Raises:
        ValueError: Naming a field the space's description does not have.
    """
    info = space_info(space)
    for key, value in partial.items():
        if key not in info:
            raise ValueError(f"the observation space ({info['name']}) has no field '{key}', expected one of "
                             f"{sorted(info)}")
        if not _json_equal(info[key], value):
            return False
    return True


def _json_equal(ours: Any, theirs: Any) -> bool:
    if isinstance(ours, list) and isinstance(theirs, list):
        return len(ours) == len(theirs) and all(_json_equal(a, b) for a, b in zip(ours, theirs, strict=True))
    if isinstance(ours, dict) and isinstance(theirs, dict):
        return ours.keys() == theirs.keys() and all(_json_equal(ours[k], theirs[k]) for k in ours)
    if isinstance(ours, (int, float)) and isinstance(theirs, (int, float)) and not isinstance(theirs, bool):
        return float(ours) == float(theirs)
    return ours == theirs


def _tensor(data: Any, dtype: Any) -> np.ndarray:
    if isinstance(data, (Mapping, str)):
        raise ValueError(f"is {_describe(data)}, expected a number or a nested list of numbers")
    try:
        array = np.asarray(data, dtype=dtype)
    except (ValueError, TypeError):
        raise ValueError(f"is {_describe(data)}, expected a number or a rectangular nested list of numbers") from None
    if array.dtype == object:
        raise ValueError(f"is {_describe(data)}, expected a number or a rectangular nested list of numbers")
    if dtype is not None:
        array = np.where(array >= JSON_INFINITY, np.inf, np.where(array <= -JSON_INFINITY, -np.inf, array))
    return array


def _finite(x: float) -> float | None:
    x = float(x)
    if math.isnan(x):
        return None
    if math.isinf(x):
        return JSON_INFINITY if x > 0 else -JSON_INFINITY
    return x


def _nested_floats(array: np.ndarray) -> Any:
    if array.ndim == 0:
        return _finite(float(array))
    if np.isfinite(array).all():
        return array.tolist()
    return [_nested_floats(row) for row in array]


def _describe(data: Any) -> str:
    text = repr(data)
    return text if len(text) <= 60 else text[:57] + "..."
