import math

import numpy as np
import pytest
from gymnasium import spaces
from gymnasium.utils.env_checker import data_equivalence

from gymlink_envserver import actions, codec
from gymlink_envserver._proto.gymlink.v1 import env_service_pb2 as pb
from gymlink_envserver.errors import InvalidArgument, UnsupportedSpace

ALL_DTYPES = ["float16", "float32", "float64", "int8", "int16", "int32", "int64",
              "uint8", "uint16", "uint32", "uint64", "bool"]


def _box(dtype: str) -> spaces.Box:
    if dtype == "bool":
        return spaces.Box(0, 1, (2, 3), dtype=np.bool_)
    if np.dtype(dtype).kind == "f":
        return spaces.Box(-1.5, 2.5, (2, 3), dtype=dtype)
    # Bounds travel as doubles, exact up to 2**53: keep integer Box bounds in that range.
    return spaces.Box(0, 100, (2, 3), dtype=dtype)


SPACES = {
    **{f"box-{dtype}": _box(dtype) for dtype in ALL_DTYPES},
    "box-scalar": spaces.Box(-1.0, 1.0, (), np.float32),
    "box-unbounded": spaces.Box(-np.inf, np.inf, (3,), np.float32),
    "box-half-bounded": spaces.Box(np.array([0.0, -np.inf]), np.array([np.inf, 1.0]), dtype=np.float64),
    "discrete": spaces.Discrete(5),
    "discrete-start": spaces.Discrete(3, start=-1),
    "multi-discrete": spaces.MultiDiscrete([2, 3, 4]),
    "multi-discrete-2d-start": spaces.MultiDiscrete(np.array([[2, 3], [4, 5]]), start=np.array([[0, 1], [-2, 3]])),
    "multi-discrete-int32": spaces.MultiDiscrete([3, 3], dtype=np.int32),
    "multi-binary": spaces.MultiBinary(4),
    "multi-binary-2d": spaces.MultiBinary([2, 3]),
    "tuple": spaces.Tuple((spaces.Discrete(2), spaces.Box(0.0, 1.0, (1,), np.float64))),
    "dict": spaces.Dict({"b": spaces.Discrete(3), "a": spaces.Box(-1.0, 1.0, (2,), np.float32)}),
    "nested": spaces.Dict({
        "pair": spaces.Tuple((spaces.MultiBinary(2), spaces.Dict({"x": spaces.Box(-1.0, 1.0, (2,), np.float32)}))),
        "grid": spaces.MultiDiscrete([2, 3]),
        "inner": spaces.Tuple((spaces.Tuple((spaces.Discrete(4),)), spaces.Box(-np.inf, np.inf, (1,), np.float64))),
    }),
}


@pytest.mark.parametrize("space", SPACES.values(), ids=SPACES.keys())
def test_space_roundTrip_equalsOriginal(space):
    message = pb.Space.FromString(codec.encode_space(space).SerializeToString())
    decoded = codec.decode_space(message)
    assert decoded == space
    assert str(decoded) == str(space)


@pytest.mark.parametrize("space", SPACES.values(), ids=SPACES.keys())
def test_value_roundTrip_equalsSampleAndConformsToSpace(space):
    space.seed(7)
    for _ in range(5):
        sample = space.sample()
        message = pb.Value.FromString(codec.encode_value(space, sample).SerializeToString())
        decoded = actions.conform("Test-v0", space, codec.decode_value(message))
        assert space.contains(decoded)
        assert data_equivalence(decoded, sample, exact=True)


def test_dict_space_keepsKeyOrder():
    space = spaces.Dict({"z": spaces.Discrete(2), "a": spaces.Discrete(3)}, seed=1)
    message = codec.encode_space(space)
    assert [entry.key for entry in message.dict.entries] == list(space.spaces)


def test_box_infiniteBounds_travelAsInfinity():
    message = codec.encode_space(spaces.Box(-np.inf, np.inf, (2,), np.float32))
    assert list(message.box.low) == [-math.inf, -math.inf]
    assert list(message.box.high) == [math.inf, math.inf]


@pytest.mark.parametrize("dtype", ALL_DTYPES)
def test_tensor_everyDtype_isLittleEndianRowMajor(dtype):
    array = np.arange(6).reshape(2, 3).astype(dtype)
    tensor = codec.encode_tensor(array)
    assert list(tensor.shape) == [2, 3]
    assert tensor.data == array.astype(np.dtype(dtype).newbyteorder("<")).tobytes(order="C")
    assert np.array_equal(codec.decode_tensor(tensor), array)
    assert codec.decode_tensor(tensor).dtype == np.dtype(dtype)


def test_tensor_bigEndianInput_isSentLittleEndian():
    array = np.array([1.5, -2.0], dtype=">f8")
    assert codec.decode_tensor(codec.encode_tensor(array)).tolist() == [1.5, -2.0]


@pytest.mark.parametrize("space", [
    spaces.Text(8),
    spaces.Graph(spaces.Box(0, 1, (2,)), spaces.Discrete(2)),
    spaces.Sequence(spaces.Discrete(2)),
    spaces.Dict({"ok": spaces.Discrete(2), "name": spaces.Text(4)}),
], ids=["text", "graph", "sequence", "nested-text"])
def test_encodeSpace_unsupported_raisesNamingTheSpace(space):
    inner = space["name"] if isinstance(space, spaces.Dict) else space
    with pytest.raises(UnsupportedSpace, match=r"^" + type(inner).__name__ + r".*is not supported by gymlink\.v1"):
        codec.encode_space(space)
    assert UnsupportedSpace.code == "UNIMPLEMENTED"


def test_decodeTensor_wrongByteCount_raisesExpectedVersusActual():
    tensor = pb.Tensor(dtype=pb.FLOAT32, shape=[3], data=b"\0" * 10)
    with pytest.raises(InvalidArgument, match=r"shape \[3\] and dtype float32 has 10 data bytes, expected 12"):
        codec.decode_tensor(tensor)


def test_decodeTensor_unspecifiedDtype_raises():
    with pytest.raises(InvalidArgument, match="tensor dtype DTYPE_UNSPECIFIED is not a valid element type"):
        codec.decode_tensor(pb.Tensor(shape=[1], data=b"\0"))


def test_decodeValue_empty_raises():
    with pytest.raises(InvalidArgument, match="value is empty"):
        codec.decode_value(pb.Value())


def test_json_roundTrip_keepsTypesAndArrays():
    info = {
        "none": None, "flag": np.bool_(True), "count": np.int64(3), "big": 2**70, "x": np.float32(0.5),
        "nan": float("nan"), "inf": -math.inf, "name": "cart", "list": [1, (2, 3), {"k": "v"}],
        "array": np.arange(4, dtype=np.int16).reshape(2, 2), 7: "int key",
    }
    decoded = codec.decode_json_map(pb.JsonMap.FromString(codec.encode_json_map(info).SerializeToString()))
    assert decoded["none"] is None
    assert decoded["flag"] is True
    assert decoded["count"] == 3 and isinstance(decoded["count"], int)
    assert decoded["big"] == float(2**70)
    assert decoded["x"] == 0.5
    assert math.isnan(decoded["nan"])
    assert decoded["inf"] == -math.inf
    assert decoded["list"] == [1, [2, 3], {"k": "v"}]
    assert decoded["array"].dtype == np.int16 and decoded["array"].tolist() == [[0, 1], [2, 3]]
    assert decoded["7"] == "int key"


def test_json_unknownObject_isSentAsString():
    class Opaque:
        def __str__(self):
            return "opaque!"

    assert codec.decode_json(codec.encode_json(Opaque())) == "opaque!"


@pytest.mark.parametrize(("space", "value"), [
    (spaces.Box(-1.0, 1.0, (3,), np.float32), np.array([0.5, -0.25, 1.0], np.float32)),
    (spaces.Box(0, 255, (2, 2), np.uint8), np.array([[1, 2], [3, 4]], np.uint8)),
    (spaces.Box(-1.0, 1.0, (2,), np.float64), [0.5, 0.25]),
    (spaces.Discrete(3), 2),
    (spaces.Dict({"x": spaces.Box(-1.0, 1.0, (1,), np.float32)}), {"x": np.array([0.5], np.float32)}),
])
def test_fillValue_writesWhatEncodeValueBuilds(space, value):
    response = pb.StepResponse()
    codec.fill_value(response.observation, space, value)
    assert response.observation == codec.encode_value(space, value)
