package io.gymlink.client;

import io.gymlink.env.spaces.BoxValue;
import io.gymlink.env.spaces.DType;
import io.gymlink.proto.v1.JsonList;
import io.gymlink.proto.v1.JsonMap;
import io.gymlink.proto.v1.JsonValue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Converts JSON-like Java values (info, reset options, make kwargs) to {@code gymlink.v1.JsonValue} and back.
 *
 * <p>Encodes null, Boolean, integral numbers, floating numbers, CharSequence, enums (by name), List, Object[],
 * Map (keys through {@code String.valueOf}), {@link BoxValue}, float[], double[], int[] and long[]. Decodes to
 * null, Boolean, Long, Double, String, unmodifiable List and Map, and {@link BoxValue} for arrays.
 */
final class ProtoJson {

  private ProtoJson() {}

  static JsonMap encodeMap(Map<?, ?> map) {
    JsonMap.Builder out = JsonMap.newBuilder();
    if (map != null) {
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        String key = String.valueOf(entry.getKey());
        out.putFields(key, encode(entry.getValue(), key));
      }
    }
    return out.build();
  }

  static Map<String, Object> decodeMap(JsonMap map) {
    if (map.getFieldsCount() == 0) {
      return Map.of();
    }
    // Sorted, so that printing an info map is stable whatever order the server's map arrived in.
    Map<String, Object> out = new TreeMap<>();
    map.getFieldsMap().forEach((k, v) -> out.put(k, decode(v)));
    return Collections.unmodifiableMap(out);
  }

  private static JsonValue encode(Object value, String path) {
    JsonValue.Builder out = JsonValue.newBuilder();
    if (value == null) {
      out.setNullValue(true);
    } else if (value instanceof Boolean b) {
      out.setBoolValue(b);
    } else if (value instanceof Byte || value instanceof Short || value instanceof Integer || value instanceof Long) {
      out.setIntValue(((Number) value).longValue());
    } else if (value instanceof Float || value instanceof Double) {
      out.setDoubleValue(((Number) value).doubleValue());
    } else if (value instanceof CharSequence || value instanceof Enum<?>) {
      out.setStringValue(value instanceof Enum<?> e ? e.name() : value.toString());
    } else if (value instanceof Map<?, ?> map) {
      out.setMapValue(encodeMap(map));
    } else if (value instanceof List<?> list) {
      out.setListValue(encodeList(list, path));
    } else if (value instanceof Object[] array) {
      out.setListValue(encodeList(List.of(array), path));
    } else if (value instanceof BoxValue box) {
      out.setArrayValue(Tensors.ofFloats(box.data(), box.shape(), DType.FLOAT32));
    } else if (value instanceof float[] a) {
      out.setArrayValue(Tensors.ofFloats(a, new int[] {a.length}, DType.FLOAT32));
    } else if (value instanceof double[] a) {
      out.setArrayValue(doubles(a));
    } else if (value instanceof int[] a) {
      out.setArrayValue(Tensors.ofLongs(java.util.Arrays.stream(a).asLongStream().toArray(),
          new int[] {a.length}, DType.INT32));
    } else if (value instanceof long[] a) {
      out.setArrayValue(Tensors.ofLongs(a, new int[] {a.length}, DType.INT64));
    } else {
      throw new IllegalArgumentException("'" + path + "' is a " + value.getClass().getName()
          + ", expected null, Boolean, a number, a String, a List, a Map or a numeric array");
    }
    return out.build();
  }

  private static JsonList encodeList(List<?> list, String path) {
    JsonList.Builder out = JsonList.newBuilder();
    for (int i = 0; i < list.size(); i++) {
      out.addItems(encode(list.get(i), path + "[" + i + "]"));
    }
    return out.build();
  }

  private static io.gymlink.proto.v1.Tensor doubles(double[] a) {
    java.nio.ByteBuffer buffer =
        java.nio.ByteBuffer.allocate(a.length * 8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    for (double x : a) {
      buffer.putDouble(x);
    }
    return io.gymlink.proto.v1.Tensor.newBuilder()
        .setDtype(io.gymlink.proto.v1.DType.FLOAT64)
        .addShape(a.length)
        .setData(com.google.protobuf.ByteString.copyFrom(buffer.array()))
        .build();
  }

  private static Object decode(JsonValue value) {
    return switch (value.getKindCase()) {
      case NULL_VALUE, KIND_NOT_SET -> null;
      case BOOL_VALUE -> value.getBoolValue();
      case INT_VALUE -> value.getIntValue();
      case DOUBLE_VALUE -> value.getDoubleValue();
      case STRING_VALUE -> value.getStringValue();
      case LIST_VALUE -> {
        List<Object> items = new ArrayList<>();
        for (JsonValue item : value.getListValue().getItemsList()) {
          items.add(decode(item));
        }
        yield Collections.unmodifiableList(items);
      }
      case MAP_VALUE -> decodeMap(value.getMapValue());
      case ARRAY_VALUE -> new BoxValue(Tensors.toFloats(value.getArrayValue()), Tensors.shape(value.getArrayValue()));
    };
  }
}
