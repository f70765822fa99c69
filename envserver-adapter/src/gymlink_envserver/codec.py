"""Converts between gymlink.v1 protobuf messages and Gymnasium spaces, numpy values and JSON-like info.

Values are encoded guided by their space (so a Python int observation of a Discrete space becomes an int64 scalar
tensor); decoding needs no space and gives ndarrays, tuples and dicts, which :mod:`gymlink_envserver.actions` then
checks against the action space.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from gymnasium import spaces

from gymlink_envserver._proto.gymlink.v1 import env_service_pb2 as pb
from gymlink_envserver.errors import InvalidArgument, UnsupportedSpace, clip, shape_text

logger = logging.getLogger(__name__)

_DTYPES: dict[int, np.dtype] = {
    pb.FLOAT32: np.dtype("<f4"),
    pb.FLOAT64: np.dtype("<f8"),
    pb.FLOAT16: np.dtype("<f2"),
    pb.INT8: np.dtype("i1"),
    pb.INT16: np.dtype("<i2"),
    pb.INT32: np.dtype("<i4"),
    pb.INT64: np.dtype("<i8"),
    pb.UINT8: np.dtype("u1"),
    pb.UINT16: np.dtype("<u2"),
    pb.UINT32: np.dtype("<u4"),
    pb.UINT64: np.dtype("<u8"),
    pb.BOOL: np.dtype("?"),
}
_DTYPE_CODES: dict[str, int] = {dtype.str[1:]: code for code, dtype in _DTYPES.items()}
SUPPORTED_SPACES = "Box, Discrete, MultiDiscrete, MultiBinary, Tuple, Dict"
MAX_TENSOR_DIMS = 32
"""Most dimensions of a decoded tensor (numpy's own limit is 64)."""
MAX_TENSOR_EXTENT = 2**40
"""Largest byte extent of a tensor's shape counting zero dimensions as 1 (numpy refuses shapes that overflow)."""


def dtype_to_proto(dtype: np.dtype) -> int:
    """The DType enum value for a numpy dtype.

    Raises:
        UnsupportedSpace: For dtypes the protocol has no name for (complex, strings, objects).
    """
    code = _DTYPE_CODES.get(np.dtype(dtype).str[1:])
    if code is None:
        raise UnsupportedSpace(f"dtype {np.dtype(dtype)} cannot be carried by gymlink.v1")
    return code


def dtype_from_proto(code: int) -> np.dtype:
    """The little-endian numpy dtype for a DType enum value.

    Raises:
        InvalidArgument: For DTYPE_UNSPECIFIED or an unknown value.
    """
    dtype = _DTYPES.get(code)
    if dtype is None:
        name = pb.DType.Name(code) if code in pb.DType.values() else str(code)
        raise InvalidArgument(f"tensor dtype {name} is not a valid element type")
    return dtype


# ----------------------------------------------------------------------------------------------------------------
# Tensors and values
# ----------------------------------------------------------------------------------------------------------------


def encode_tensor(array: Any) -> pb.Tensor:
    """Encodes an array (or numpy/Python scalar) as a little-endian, row-major Tensor."""
    array = np.asarray(array)
    code = _DTYPE_CODES.get(array.dtype.str[1:])
    if code is None:
        code = dtype_to_proto(array.dtype)  # raises, naming the dtype
    if array.dtype.byteorder == ">":
        array = array.astype(_DTYPES[code])
    # tobytes() writes row-major order whatever the array's memory layout.
    return pb.Tensor(dtype=code, shape=array.shape, data=array.tobytes())


def decode_tensor(tensor: pb.Tensor) -> np.ndarray:
    """Decodes a Tensor into a native-endian ndarray of its shape.

    Raises:
        InvalidArgument: When the dtype is unset/unknown, a dimension is negative or the byte count is wrong.
    """
    dtype = dtype_from_proto(tensor.dtype)
    shape = tuple(tensor.shape)
    if len(shape) > MAX_TENSOR_DIMS:
        raise InvalidArgument(f"tensor has {len(shape)} dimensions, expected at most {MAX_TENSOR_DIMS}")
    if any(dim < 0 for dim in shape):
        raise InvalidArgument(f"tensor has shape {clip(shape_text(shape))} with a negative dimension")
    # numpy refuses shapes whose extent overflows even when a zero dimension makes them empty.
    if math.prod(max(dim, 1) for dim in shape) * dtype.itemsize > MAX_TENSOR_EXTENT:
        raise InvalidArgument(f"tensor has shape {clip(shape_text(shape))}, whose non-zero dimensions span more than "
                              f"2^40 bytes of {dtype.name}")
    expected = math.prod(shape) * dtype.itemsize
    if len(tensor.data) != expected:
        raise InvalidArgument(
            f"tensor of shape {shape_text(shape)} and dtype {dtype.name} has {len(tensor.data)} data bytes, "
            f"expected {expected}")
    return np.frombuffer(tensor.data, dtype=dtype).astype(dtype.newbyteorder("="), copy=True).reshape(shape)


def decode_stacked(values: Sequence[pb.Value]) -> np.ndarray | None:
    """Decodes many tensor Values of one dtype and shape into one array ``[n, *shape]`` (a batch's actions).

    Returns:
        The stacked array, or None when the values are not all well-formed tensors of the first one's dtype and
        shape (then decode them one by one with :func:`decode_value`, whose errors name the problem).
    """
    if not values or any(value.WhichOneof("kind") != "tensor" for value in values):
        return None
    first = values[0].tensor
    dtype = _DTYPES.get(first.dtype)
    shape = tuple(first.shape)
    if dtype is None or any(dim < 0 for dim in shape):
        return None
    size = math.prod(shape) * dtype.itemsize
    tensors = [value.tensor for value in values]
    if any(t.dtype != first.dtype or tuple(t.shape) != shape or len(t.data) != size for t in tensors):
        return None
    joined = b"".join(t.data for t in tensors)
    return np.frombuffer(joined, dtype=dtype).astype(dtype.newbyteorder("="), copy=True).reshape((len(values),) + shape)


def fill_value(target: pb.Value, space: spaces.Space, value: Any) -> None:
    """Writes an element of ``space`` into ``target``, a field of a message being built (every step's observation).

    Cheaper than assigning :func:`encode_value`'s result, which builds a Value and then copies it into the field.

    Raises:
        UnsupportedSpace: When ``space`` (or a subspace) is not one the protocol carries.
    """
    if isinstance(space, spaces.Box):
        array = np.asarray(value, dtype=space.dtype)
        code = _DTYPE_CODES.get(array.dtype.str[1:])
        if code is not None and array.dtype.byteorder != ">":
            tensor = target.tensor
            tensor.dtype = code
            tensor.shape.extend(array.shape)
            tensor.data = array.tobytes()
            return
    target.CopyFrom(encode_value(space, value))


def encode_value(space: spaces.Space, value: Any) -> pb.Value:
    """Encodes an element of ``space`` (observation or action) as a Value.

    Raises:
        UnsupportedSpace: When ``space`` (or a subspace) is not one the protocol carries.
    """
    if isinstance(space, (spaces.Box, spaces.MultiDiscrete, spaces.MultiBinary)):
        return pb.Value(tensor=encode_tensor(np.asarray(value, dtype=space.dtype)))
    if isinstance(space, spaces.Discrete):
        return pb.Value(tensor=encode_tensor(np.asarray(value, dtype=np.int64)))
    if isinstance(space, spaces.Tuple):
        items = [encode_value(sub, item) for sub, item in zip(space.spaces, value, strict=True)]
        return pb.Value(tuple=pb.ValueList(items=items))
    if isinstance(space, spaces.Dict):
        entries = {key: encode_value(sub, value[key]) for key, sub in space.spaces.items()}
        return pb.Value(dict=pb.ValueMap(entries=entries))
    raise UnsupportedSpace(f"space {space} is not supported by gymlink.v1 (supported: {SUPPORTED_SPACES})")


def decode_value(value: pb.Value) -> Any:
    """Decodes a Value into an ndarray, a tuple of items or a dict of entries (not yet checked against a space).

    Raises:
        InvalidArgument: When the value (or an item) is empty or a tensor is malformed.
    """
    kind = value.WhichOneof("kind")
    if kind == "tensor":
        return decode_tensor(value.tensor)
    if kind == "tuple":
        return tuple(decode_value(item) for item in value.tuple.items)
    if kind == "dict":
        return {key: decode_value(item) for key, item in value.dict.entries.items()}
    raise InvalidArgument("value is empty, expected a tensor, tuple or dict")


# ----------------------------------------------------------------------------------------------------------------
# Spaces
# ----------------------------------------------------------------------------------------------------------------


def encode_space(space: spaces.Space) -> pb.Space:
    """Describes a Gymnasium space as a Space message.

    Raises:
        UnsupportedSpace: Naming the first space (or subspace) the protocol cannot carry, e.g. Text.
    """
    if isinstance(space, spaces.Box):
        return pb.Space(box=pb.BoxSpace(
            shape=space.shape, dtype=dtype_to_proto(space.dtype),
            low=space.low.astype(np.float64).reshape(-1).tolist(),
            high=space.high.astype(np.float64).reshape(-1).tolist()))
    if isinstance(space, spaces.Discrete):
        return pb.Space(discrete=pb.DiscreteSpace(n=int(space.n), start=int(space.start)))
    if isinstance(space, spaces.MultiDiscrete):
        return pb.Space(multi_discrete=pb.MultiDiscreteSpace(
            nvec=space.nvec.reshape(-1).tolist(), start=space.start.reshape(-1).tolist(),
            shape=space.shape, dtype=dtype_to_proto(space.dtype)))
    if isinstance(space, spaces.MultiBinary):
        return pb.Space(multi_binary=pb.MultiBinarySpace(shape=space.shape))
    if isinstance(space, spaces.Tuple):
        return pb.Space(tuple=pb.TupleSpace(spaces=[encode_space(sub) for sub in space.spaces]))
    if isinstance(space, spaces.Dict):
        return pb.Space(dict=pb.DictSpace(entries=[
            pb.DictSpaceEntry(key=key, space=encode_space(sub)) for key, sub in space.spaces.items()]))
    raise UnsupportedSpace(f"{space} is not supported by gymlink.v1 (supported: {SUPPORTED_SPACES})")


def decode_space(message: pb.Space) -> spaces.Space:
    """Rebuilds a Gymnasium space from its Space message (the inverse of :func:`encode_space`).

    Raises:
        InvalidArgument: When the message is empty or inconsistent.
    """
    kind = message.WhichOneof("kind")
    if kind == "box":
        box = message.box
        dtype = dtype_from_proto(box.dtype)
        shape = tuple(box.shape)
        low = np.array(box.low, dtype=np.float64).reshape(shape)
        high = np.array(box.high, dtype=np.float64).reshape(shape)
        return spaces.Box(low.astype(dtype), high.astype(dtype), shape=shape, dtype=dtype)
    if kind == "discrete":
        return spaces.Discrete(message.discrete.n, start=message.discrete.start)
    if kind == "multi_discrete":
        md = message.multi_discrete
        shape = tuple(md.shape)
        dtype = dtype_from_proto(md.dtype)
        return spaces.MultiDiscrete(np.array(md.nvec, dtype=dtype).reshape(shape),
                                    dtype=dtype, start=np.array(md.start, dtype=dtype).reshape(shape))
    if kind == "multi_binary":
        shape = tuple(message.multi_binary.shape)
        return spaces.MultiBinary(list(shape) if len(shape) != 1 else shape[0])
    if kind == "tuple":
        return spaces.Tuple([decode_space(sub) for sub in message.tuple.spaces])
    if kind == "dict":
        return spaces.Dict({entry.key: decode_space(entry.space) for entry in message.dict.entries})
    raise InvalidArgument("space is empty, expected one of " + SUPPORTED_SPACES)


# ----------------------------------------------------------------------------------------------------------------
# JSON-like values (info, options, kwargs)
# ----------------------------------------------------------------------------------------------------------------

_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1
_EMPTY_JSON_MAP = pb.JsonMap()


def encode_json(obj: Any) -> pb.JsonValue:
    """Encodes a JSON-like Python object; numpy scalars become numbers and ndarrays stay binary.

    Objects with no JSON form (e.g. a custom class in ``info``) are sent as their ``str()`` instead of failing.
    """
    if obj is None:
        return pb.JsonValue(null_value=True)
    if isinstance(obj, (bool, np.bool_)):
        return pb.JsonValue(bool_value=bool(obj))
    if isinstance(obj, (int, np.integer)):
        number = int(obj)
        if _INT64_MIN <= number <= _INT64_MAX:
            return pb.JsonValue(int_value=number)
        return pb.JsonValue(double_value=float(number))
    if isinstance(obj, (float, np.floating)):
        return pb.JsonValue(double_value=float(obj))
    if isinstance(obj, str):
        return pb.JsonValue(string_value=obj)
    if isinstance(obj, np.ndarray) and obj.dtype.str[1:] in _DTYPE_CODES:
        return pb.JsonValue(array_value=encode_tensor(obj))
    if isinstance(obj, Mapping):
        return pb.JsonValue(map_value=encode_json_map(obj))
    if isinstance(obj, (list, tuple, np.ndarray)):
        return pb.JsonValue(list_value=pb.JsonList(items=[encode_json(item) for item in obj]))
    logger.debug("sending %s as its str() in a JSON-like value", type(obj).__name__)
    return pb.JsonValue(string_value=str(obj))


def encode_json_map(mapping: Mapping[Any, Any] | None) -> pb.JsonMap:
    """Encodes a mapping (e.g. ``info``) as a JsonMap; keys are converted with ``str()``."""
    if not mapping:
        return _EMPTY_JSON_MAP
    return pb.JsonMap(fields={str(key): encode_json(value) for key, value in (mapping or {}).items()})


def decode_json(value: pb.JsonValue) -> Any:
    """Decodes a JsonValue into plain Python (None, bool, int, float, str, list, dict) or an ndarray."""
    kind = value.WhichOneof("kind")
    if kind is None or kind == "null_value":
        return None
    if kind == "list_value":
        return [decode_json(item) for item in value.list_value.items]
    if kind == "map_value":
        return decode_json_map(value.map_value)
    if kind == "array_value":
        return decode_tensor(value.array_value)
    return getattr(value, kind)


def decode_json_map(mapping: pb.JsonMap) -> dict[str, Any]:
    """Decodes a JsonMap (kwargs, options, info) into a dict."""
    return {key: decode_json(value) for key, value in mapping.fields.items()}
