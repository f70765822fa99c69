package io.gymlink.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.gymlink.env.spaces.BoxSpace;
import io.gymlink.env.spaces.BoxValue;
import io.gymlink.env.spaces.DType;
import io.gymlink.env.spaces.DictSpace;
import io.gymlink.env.spaces.DiscreteSpace;
import io.gymlink.env.spaces.DiscreteValue;
import io.gymlink.env.spaces.MultiBinarySpace;
import io.gymlink.env.spaces.MultiDiscreteSpace;
import io.gymlink.env.spaces.Space;
import io.gymlink.env.spaces.SpaceValue;
import io.gymlink.env.spaces.TupleSpace;
import io.gymlink.proto.v1.JsonMap;
import io.gymlink.proto.v1.Tensor;
import io.gymlink.proto.v1.Value;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ProtoCodecTest {

  private static Space everyKind() {
    Map<String, Space> dict = new LinkedHashMap<>();
    dict.put("z", new MultiBinarySpace(new int[] {2, 2}));
    dict.put("a", new MultiDiscreteSpace(new long[] {2, 3, 4}, new long[] {0, -1, 5}, new int[] {3}, DType.INT32));
    return new TupleSpace(List.of(
        new BoxSpace(new int[] {2, 3}, DType.FLOAT64, new double[] {-1, -2, -3, Double.NEGATIVE_INFINITY, 0, 0},
            new double[] {1, 2, 3, 4, Double.POSITIVE_INFINITY, 0}),
        new DiscreteSpace(7, -3),
        new DictSpace(dict)));
  }

  @Test
  void encodeSpace_thenDecode_givesTheSameSpace() {
    Space space = everyKind();
    assertEquals(space, ProtoCodec.decodeSpace(ProtoCodec.encodeSpace(space)));
  }

  @Test
  void decodeSpace_dictKeepsWireOrder() {
    DictSpace dict = (DictSpace) ((TupleSpace) ProtoCodec.decodeSpace(ProtoCodec.encodeSpace(everyKind())))
        .spaces().get(2);
    assertEquals(List.of("z", "a"), List.copyOf(dict.spaces().keySet()));
  }

  @Test
  void decodeSpace_multiDiscreteWithoutStartOrShape_defaultsLikeGymnasium() {
    io.gymlink.proto.v1.Space wire = io.gymlink.proto.v1.Space.newBuilder().setMultiDiscrete(
        io.gymlink.proto.v1.MultiDiscreteSpace.newBuilder().addNvec(2).addNvec(3)).build();
    assertEquals(new MultiDiscreteSpace(new long[] {2, 3}, new long[] {0, 0}, new int[] {2}, DType.INT64),
        ProtoCodec.decodeSpace(wire));
  }

  @Test
  void decodeSpace_unspecifiedDtype_throws() {
    io.gymlink.proto.v1.Space wire = io.gymlink.proto.v1.Space.newBuilder().setBox(
        io.gymlink.proto.v1.BoxSpace.newBuilder().addShape(1).addLow(0).addHigh(1)).build();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ProtoCodec.decodeSpace(wire));
    assertTrue(e.getMessage().startsWith("dtype is DTYPE_UNSPECIFIED"), e.getMessage());
  }

  @Test
  void encodeValue_thenDecode_givesTheSameValue() {
    Space space = everyKind();
    Random random = new Random(0);
    for (int i = 0; i < 50; i++) {
      SpaceValue value = space.sample(random);
      assertEquals(value, ProtoCodec.decodeValue(space, ProtoCodec.encodeValue(space, value)));
    }
  }

  @Test
  void encodeValue_float32Box_isLittleEndianRowMajorInTheSpaceDtype() {
    BoxSpace box = new BoxSpace(new int[] {2}, DType.FLOAT32, new double[] {-9, -9}, new double[] {9, 9});
    Tensor tensor = ProtoCodec.encodeValue(box, BoxValue.of(1.5f, -2f)).getTensor();
    assertEquals(io.gymlink.proto.v1.DType.FLOAT32, tensor.getDtype());
    assertEquals(List.of(2L), tensor.getShapeList());
    ByteBuffer expected = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(1.5f).putFloat(-2f);
    assertArrayEquals(expected.array(), tensor.getData().toByteArray());
  }

  @Test
  void encodeValue_float64Box_sendsDoubles() {
    BoxSpace box = new BoxSpace(new int[] {1}, DType.FLOAT64, new double[] {-9}, new double[] {9});
    Tensor tensor = ProtoCodec.encodeValue(box, BoxValue.of(0.1f)).getTensor();
    assertEquals(io.gymlink.proto.v1.DType.FLOAT64, tensor.getDtype());
    assertEquals((double) 0.1f, tensor.getData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).getDouble());
  }

  @Test
  void encodeValue_discrete_isScalarInt64() {
    Tensor tensor = ProtoCodec.encodeValue(new DiscreteSpace(3, 0), new DiscreteValue(2)).getTensor();
    assertEquals(io.gymlink.proto.v1.DType.INT64, tensor.getDtype());
    assertEquals(0, tensor.getShapeCount());
    assertEquals(2L, tensor.getData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).getLong());
  }

  @ParameterizedTest
  @EnumSource(value = DType.class, names = {"FLOAT16", "FLOAT64", "INT8", "INT16", "INT32", "INT64", "UINT8",
      "UINT16", "UINT32", "UINT64", "BOOL"})
  void boxValue_everyDtype_survivesTheTrip(DType dtype) {
    BoxSpace box = new BoxSpace(new int[] {3}, dtype, new double[] {0, 0, 0}, new double[] {1, 1, 1});
    BoxValue value = BoxValue.of(0f, 1f, dtype.isIntegral() ? 1f : 0.5f);
    Value wire = ProtoCodec.encodeValue(box, value);
    assertEquals(3 * dtype.itemSize(), wire.getTensor().getData().size());
    assertEquals(value, ProtoCodec.decodeValue(box, wire));
  }

  @Test
  void halfFloats_roundTripExactlyRepresentableValues() {
    for (float x : new float[] {0f, -0f, 1f, -2.5f, 65504f, 6.1035156e-5f, 5.9604645e-8f, Float.POSITIVE_INFINITY}) {
      assertEquals(x, HalfFloats.toFloat(HalfFloats.fromFloat(x)));
    }
    assertTrue(Float.isNaN(HalfFloats.toFloat(HalfFloats.fromFloat(Float.NaN))));
    assertEquals(Float.POSITIVE_INFINITY, HalfFloats.toFloat(HalfFloats.fromFloat(1e6f)));
    assertEquals(0.0999755859375f, HalfFloats.toFloat(HalfFloats.fromFloat(0.1f)));
  }

  @Test
  void decodeValue_wrongKind_throwsNamingThePath() {
    Space space = everyKind();
    Value wire = ProtoCodec.encodeValue(space, space.sample(new Random(1)));
    Value broken = wire.toBuilder().setTuple(wire.getTuple().toBuilder().setItems(1,
        Value.newBuilder().setTensor(Tensor.newBuilder().setDtype(io.gymlink.proto.v1.DType.FLOAT32)
            .setData(ByteString.copyFrom(new byte[4]))))).build();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ProtoCodec.decodeValue(space, broken));
    assertTrue(e.getMessage().contains("item 1: tensor has dtype float32, expected an integer dtype"),
        e.getMessage());
  }

  @Test
  void decodeValue_dataLengthNotMatchingShape_throws() {
    Value wire = Value.newBuilder().setTensor(Tensor.newBuilder().setDtype(io.gymlink.proto.v1.DType.FLOAT32)
        .addShape(2).setData(ByteString.copyFrom(new byte[4]))).build();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ProtoCodec.decodeValue(BoxSpace.of(2, 0, 1), wire));
    assertTrue(e.getMessage().contains("has 4 data bytes, expected 8"), e.getMessage());
  }

  @Test
  void json_nestedValues_roundTrip() {
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("none", null);
    info.put("flag", true);
    info.put("count", 3L);
    info.put("ratio", Double.NaN);
    info.put("name", "x");
    info.put("list", Arrays.asList(1L, 2.5, "three", null, List.of()));
    info.put("map", Map.of("a", Map.of("b", -1L)));
    info.put("array", new BoxValue(new float[] {1, 2, 3, 4}, new int[] {2, 2}));
    JsonMap wire = ProtoCodec.encodeJson(info);
    Map<String, Object> back = ProtoCodec.decodeJson(wire);
    assertEquals(info.keySet(), back.keySet());
    info.forEach((k, v) -> {
      if (v instanceof Double d && d.isNaN()) {
        assertTrue(((Double) back.get(k)).isNaN());
      } else {
        assertEquals(v, back.get(k), k);
      }
    });
  }

  @Test
  void json_javaIntsAndArrays_becomeIntsAndTensors() {
    Map<String, Object> back = ProtoCodec.decodeJson(ProtoCodec.encodeJson(Map.of("i", 7, "d", new double[] {0.5},
        "l", new long[] {1, 2}, "a", new Object[] {1, "x"})));
    assertEquals(7L, back.get("i"));
    assertEquals(BoxValue.of(0.5f), back.get("d"));
    assertEquals(BoxValue.of(1f, 2f), back.get("l"));
    assertEquals(List.of(1L, "x"), back.get("a"));
  }

  @Test
  void json_unsupportedType_throwsNamingThePath() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ProtoCodec.encodeJson(Map.of("outer", List.of(1, new Object()))));
    assertTrue(e.getMessage().startsWith("'outer[1]' is a java.lang.Object"), e.getMessage());
  }
}
