package io.gymlink.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gymlink.env.UnsupportedSpaceException;
import io.gymlink.env.spaces.BoxSpace;
import io.gymlink.env.spaces.BoxValue;
import io.gymlink.env.spaces.DType;
import io.gymlink.env.spaces.DictSpace;
import io.gymlink.env.spaces.DictValue;
import io.gymlink.env.spaces.DiscreteSpace;
import io.gymlink.env.spaces.DiscreteValue;
import io.gymlink.env.spaces.MultiBinarySpace;
import io.gymlink.env.spaces.MultiBinaryValue;
import io.gymlink.env.spaces.MultiDiscreteSpace;
import io.gymlink.env.spaces.MultiDiscreteValue;
import io.gymlink.env.spaces.Space;
import io.gymlink.env.spaces.SpaceValue;
import io.gymlink.env.spaces.TupleSpace;
import io.gymlink.env.spaces.TupleValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Converts gym-http-api JSON to and from the Java space types, driven by the space schema.
 *
 * <p>A SpaceInfo is {@code {"name": ...}} plus, for Discrete, {@code n} (and gymlink's {@code start}); for Box,
 * {@code shape}, flat row-major {@code low}/{@code high} with infinities sent as ±1e100 (and gymlink's {@code dtype});
 * gymlink also describes MultiDiscrete ({@code shape}, flat {@code nvec}, {@code start}), MultiBinary
 * ({@code shape}), Tuple ({@code spaces}: a list) and Dict ({@code spaces}: an object in key order). Values are
 * nested lists shaped like the space (a bare number for a scalar Box or a Discrete), Tuple values lists, Dict values
 * objects; numbers at or beyond ±1e100 mean ±infinity and {@code null} in a Box means NaN.
 */
public final class JsonSpaceCodec {

  /** The stand-in for infinity in gym-http-api, whose JSON has no Infinity literal. */
  public static final double JSON_INFINITY = 1e100;

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private JsonSpaceCodec() {}

  /** Reads a SpaceInfo object into a space. */
  public static Space space(JsonNode info) {
    String name = info.path("name").asText("");
    switch (name) {
      case "Discrete":
        return new DiscreteSpace(requireField(info, "n", name).asLong(), info.path("start").asLong(0));
      case "Box": {
        int[] shape = ints(requireField(info, "shape", name));
        return new BoxSpace(shape, dtype(info.path("dtype").asText("float32")), bounds(requireField(info, "low", name)),
            bounds(requireField(info, "high", name)));
      }
      case "MultiDiscrete": {
        long[] nvec = longs(requireField(info, "nvec", name));
        int[] shape = info.has("shape") ? ints(info.get("shape")) : new int[] {nvec.length};
        long[] start = info.has("start") ? longs(info.get("start")) : new long[nvec.length];
        return new MultiDiscreteSpace(nvec, start, shape, dtype(info.path("dtype").asText("int64")));
      }
      case "MultiBinary": {
        JsonNode shape = info.has("shape") ? info.get("shape") : requireField(info, "n", name);
        return new MultiBinarySpace(shape.isArray() ? ints(shape) : new int[] {shape.asInt()});
      }
      case "Tuple": {
        List<Space> spaces = new ArrayList<>();
        for (JsonNode sub : requireField(info, "spaces", name)) {
          spaces.add(space(sub));
        }
        return new TupleSpace(spaces);
      }
      case "Dict": {
        Map<String, Space> spaces = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = requireField(info, "spaces", name).fields();
        while (fields.hasNext()) {
          Map.Entry<String, JsonNode> field = fields.next();
          spaces.put(field.getKey(), space(field.getValue()));
        }
        return new DictSpace(spaces);
      }
      default:
        throw new UnsupportedSpaceException("the server describes a space as " + info
            + "; gymlink reads Box, Discrete, MultiDiscrete, MultiBinary, Tuple and Dict");
    }
  }

  /** Writes a value of {@code space} as JSON (a nested list, a number, a list or an object). */
  public static JsonNode toJson(Space space, SpaceValue value) {
    if (value instanceof DiscreteValue d) {
      return NODES.numberNode(d.value());
    }
    if (value instanceof BoxValue box) {
      boolean integral = space instanceof BoxSpace b && b.dtype().isIntegral();
      return nest(box.shape(), 0, new int[] {0}, i -> {
        float x = box.data()[i];
        return integral ? NODES.numberNode((long) x) : finite(x);
      });
    }
    if (value instanceof MultiDiscreteValue md) {
      return nest(md.shape(), 0, new int[] {0}, i -> NODES.numberNode(md.data()[i]));
    }
    if (value instanceof MultiBinaryValue mb) {
      return nest(mb.shape(), 0, new int[] {0}, i -> NODES.numberNode(mb.data()[i]));
    }
    if (value instanceof TupleValue tuple) {
      ArrayNode items = NODES.arrayNode();
      List<Space> spaces = space instanceof TupleSpace t ? t.spaces() : List.of();
      for (int i = 0; i < tuple.items().size(); i++) {
        items.add(toJson(i < spaces.size() ? spaces.get(i) : null, tuple.items().get(i)));
      }
      return items;
    }
    DictValue dict = (DictValue) value;
    ObjectNode entries = NODES.objectNode();
    Map<String, Space> spaces = space instanceof DictSpace d ? d.spaces() : Map.of();
    dict.entries().forEach((key, item) -> entries.set(key, toJson(spaces.get(key), item)));
    return entries;
  }

  /**
   * Reads a value of {@code space} from JSON.
   *
   * @throws IllegalArgumentException with a phrase like "has 3 numbers, expected 1" when the JSON does not fit
   */
  public static SpaceValue fromJson(Space space, JsonNode json) {
    if (space instanceof DiscreteSpace) {
      if (!json.isIntegralNumber() && !(json.isNumber() && json.asDouble() == Math.rint(json.asDouble()))) {
        throw new IllegalArgumentException("is " + json + ", expected an integer");
      }
      return new DiscreteValue(json.asLong());
    }
    if (space instanceof BoxSpace box) {
      float[] data = new float[box.size()];
      fill(json, box.size(), "numbers", (i, node) -> data[i] = (float) number(node));
      return new BoxValue(data, box.shape().clone());
    }
    if (space instanceof MultiDiscreteSpace md) {
      long[] data = new long[md.nvec().length];
      fill(json, data.length, "integers", (i, node) -> data[i] = node.asLong());
      return new MultiDiscreteValue(data, md.shape().clone());
    }
    if (space instanceof MultiBinarySpace mb) {
      byte[] data = new byte[shapeSize(mb.shape())];
      fill(json, data.length, "integers", (i, node) -> data[i] = (byte) node.asInt());
      return new MultiBinaryValue(data, mb.shape().clone());
    }
    if (space instanceof TupleSpace tuple) {
      if (!json.isArray() || json.size() != tuple.spaces().size()) {
        throw new IllegalArgumentException("is " + abbreviate(json) + ", expected a list of "
            + tuple.spaces().size() + " items");
      }
      List<SpaceValue> items = new ArrayList<>();
      for (int i = 0; i < json.size(); i++) {
        items.add(fromJson(tuple.spaces().get(i), json.get(i)));
      }
      return new TupleValue(items);
    }
    DictSpace dict = (DictSpace) space;
    if (!json.isObject()) {
      throw new IllegalArgumentException("is " + abbreviate(json) + ", expected an object with keys "
          + dict.spaces().keySet());
    }
    Map<String, SpaceValue> entries = new LinkedHashMap<>();
    for (Map.Entry<String, Space> entry : dict.spaces().entrySet()) {
      JsonNode item = json.get(entry.getKey());
      if (item == null) {
        throw new IllegalArgumentException("has no entry '" + entry.getKey() + "'");
      }
      entries.put(entry.getKey(), fromJson(entry.getValue(), item));
    }
    return new DictValue(entries);
  }

  private interface Leaf {
    JsonNode at(int flatIndex);
  }

  private interface Sink {
    void put(int flatIndex, JsonNode node);
  }

  private static JsonNode nest(int[] shape, int dim, int[] cursor, Leaf leaf) {
    if (dim == shape.length) {
      return leaf.at(cursor[0]++);
    }
    ArrayNode list = NODES.arrayNode(shape[dim]);
    for (int i = 0; i < shape[dim]; i++) {
      list.add(nest(shape, dim + 1, cursor, leaf));
    }
    return list;
  }

  /** Flattens nested lists row-major into {@code sink}, checking the element count. */
  private static void fill(JsonNode json, int expected, String what, Sink sink) {
    List<JsonNode> leaves = new ArrayList<>(expected);
    flatten(json, leaves);
    if (leaves.size() != expected) {
      throw new IllegalArgumentException("has " + leaves.size() + " " + what + ", expected " + expected);
    }
    for (int i = 0; i < expected; i++) {
      JsonNode node = leaves.get(i);
      if (!node.isNumber() && !node.isNull() && !node.isBoolean()) {
        throw new IllegalArgumentException("has " + node + " at index " + i + ", expected a number");
      }
      sink.put(i, node);
    }
  }

  private static void flatten(JsonNode json, List<JsonNode> out) {
    if (json.isArray()) {
      json.forEach(item -> flatten(item, out));
    } else {
      out.add(json);
    }
  }

  private static double number(JsonNode node) {
    if (node.isNull()) {
      return Double.NaN;
    }
    double x = node.isBoolean() ? (node.asBoolean() ? 1 : 0) : node.asDouble();
    if (x >= JSON_INFINITY) {
      return Double.POSITIVE_INFINITY;
    }
    return x <= -JSON_INFINITY ? Double.NEGATIVE_INFINITY : x;
  }

  private static JsonNode finite(float x) {
    if (Float.isNaN(x)) {
      return NODES.nullNode();
    }
    if (Float.isInfinite(x)) {
      return NODES.numberNode(x > 0 ? JSON_INFINITY : -JSON_INFINITY);
    }
    return NODES.numberNode(x);
  }

  private static double[] bounds(JsonNode list) {
    double[] out = new double[list.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = number(list.get(i));
    }
    return out;
  }

  private static int[] ints(JsonNode list) {
    if (!list.isArray()) {
      return new int[] {list.asInt()};
    }
    int[] out = new int[list.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = list.get(i).asInt();
    }
    return out;
  }

  private static long[] longs(JsonNode list) {
    List<JsonNode> leaves = new ArrayList<>();
    flatten(list, leaves);
    return leaves.stream().mapToLong(JsonNode::asLong).toArray();
  }

  private static int shapeSize(int[] shape) {
    return Arrays.stream(shape).reduce(1, Math::multiplyExact);
  }

  private static DType dtype(String name) {
    try {
      return DType.valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new UnsupportedSpaceException("the server sent a Box of dtype '" + name + "', expected one of "
          + Arrays.toString(DType.values()).toLowerCase(Locale.ROOT), e);
    }
  }

  private static JsonNode requireField(JsonNode info, String field, String name) {
    JsonNode value = info.get(field);
    if (value == null || value.isNull()) {
      throw new UnsupportedSpaceException("the server's " + name + " space description " + abbreviate(info)
          + " has no '" + field + "'");
    }
    return value;
  }

  private static String abbreviate(JsonNode json) {
    String text = json.toString();
    return text.length() <= 80 ? text : text.substring(0, 77) + "...";
  }
}
