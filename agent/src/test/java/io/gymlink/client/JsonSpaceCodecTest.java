package io.gymlink.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gymlink.env.UnsupportedSpaceException;
import io.gymlink.env.spaces.BoxSpace;
import io.gymlink.env.spaces.BoxValue;
import io.gymlink.env.spaces.DType;
import io.gymlink.env.spaces.DictSpace;
import io.gymlink.env.spaces.DiscreteSpace;
import io.gymlink.env.spaces.MultiBinarySpace;
import io.gymlink.env.spaces.MultiDiscreteSpace;
import io.gymlink.env.spaces.Space;
import io.gymlink.env.spaces.SpaceValue;
import io.gymlink.env.spaces.TupleSpace;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** SpaceInfo and value JSON, including the upstream (old-server) shapes. */
class JsonSpaceCodecTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode json(String text) throws Exception {
    return JSON.readTree(text);
  }

  @Test
  void space_upstreamBox_infinitiesAndDefaultDtype() throws Exception {
    BoxSpace box = (BoxSpace) JsonSpaceCodec.space(json(
        "{\"name\": \"Box\", \"shape\": [2], \"low\": [-1e100, 0], \"high\": [1e100, 1.5]}"));
    assertArrayEquals(new int[] {2}, box.shape());
    assertEquals(DType.FLOAT32, box.dtype());
    assertArrayEquals(new double[] {Double.NEGATIVE_INFINITY, 0}, box.low());
    assertArrayEquals(new double[] {Double.POSITIVE_INFINITY, 1.5}, box.high());
    assertEquals(new DiscreteSpace(4, 0), JsonSpaceCodec.space(json("{\"name\": \"Discrete\", \"n\": 4}")));
  }

  @Test
  void values_roundTripThroughJson_forEverySpaceKind() {
    Space space = new DictSpace(Map.of(
        "box", new BoxSpace(new int[] {2, 2}, DType.FLOAT32, new double[] {-1, -1, -1, -1}, new double[] {1, 1, 1, 1}),
        "tuple", new TupleSpace(List.of(new DiscreteSpace(3, 1), new MultiBinarySpace(new int[] {3}))),
        "md", new MultiDiscreteSpace(new long[] {2, 5}, new long[] {0, 0}, new int[] {2}, DType.INT64)));
    Random random = new Random(3);
    for (int i = 0; i < 20; i++) {
      SpaceValue value = space.sample(random);
      assertEquals(value, JsonSpaceCodec.fromJson(space, JsonSpaceCodec.toJson(space, value)));
    }
  }

  @Test
  void toJson_boxIsNestedLikeItsShape_infinityAs1e100_nanAsNull() {
    BoxSpace space = new BoxSpace(new int[] {2, 2}, DType.FLOAT32, new double[4], new double[4]);
    JsonNode json = JsonSpaceCodec.toJson(space,
        new BoxValue(new float[] {1, Float.POSITIVE_INFINITY, Float.NaN, -2}, new int[] {2, 2}));
    assertEquals("[[1.0,1.0E100],[null,-2.0]]", json.toString());
  }

  @Test
  void fromJson_wrongElementCount_namesBoth() throws Exception {
    BoxSpace space = BoxSpace.of(3, -1, 1);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> JsonSpaceCodec.fromJson(space, json("[1, 2]")));
    assertEquals("has 2 numbers, expected 3", e.getMessage());
  }

  @Test
  void space_unknownName_throwsUnsupportedSpace() throws Exception {
    UnsupportedSpaceException e = assertThrows(UnsupportedSpaceException.class,
        () -> JsonSpaceCodec.space(json("{\"name\": \"HighLow\", \"num_rows\": 2}")));
    assertTrue(e.getMessage().startsWith("the server describes a space as {\"name\":\"HighLow\""), e.getMessage());
    assertInstanceOf(UnsupportedSpaceException.class, e);
  }
}
