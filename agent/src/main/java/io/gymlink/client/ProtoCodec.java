package io.gymlink.client;

import io.gymlink.env.EnvSpec;
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
import io.gymlink.proto.v1.DictSpaceEntry;
import io.gymlink.proto.v1.JsonMap;
import io.gymlink.proto.v1.Tensor;
import io.gymlink.proto.v1.Value;
import io.gymlink.proto.v1.ValueList;
import io.gymlink.proto.v1.ValueMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts {@code gymlink.v1} spaces, values, specs and JSON maps to the Java types of {@code io.gymlink.env} and
 * back.
 *
 * <p>Values are encoded against their space: a Box value goes on the wire in the space's dtype, a Discrete value as
 * a scalar int64, MultiBinary as int8 (Gymnasium's dtype), MultiDiscrete in the space's dtype. Decoding accepts any
 * numeric dtype for a Box and any integer dtype for the integer spaces. Malformed messages raise
 * {@link IllegalArgumentException} with a message naming the offending part; callers add the environment's name.
 */
public final class ProtoCodec {

  private ProtoCodec() {}

  // ---- spaces ------------------------------------------------------------------------------------------------

  /** The Java space described by a protocol space. */
  public static Space decodeSpace(io.gymlink.proto.v1.Space space) {
    return switch (space.getKindCase()) {
      case BOX -> {
        io.gymlink.proto.v1.BoxSpace box = space.getBox();
        yield new BoxSpace(toInts(box.getShapeList()), Tensors.fromProto(box.getDtype()),
            box.getLowList().stream().mapToDouble(Double::doubleValue).toArray(),
            box.getHighList().stream().mapToDouble(Double::doubleValue).toArray());
      }
      case DISCRETE -> new DiscreteSpace(space.getDiscrete().getN(), space.getDiscrete().getStart());
      case MULTI_DISCRETE -> {
        io.gymlink.proto.v1.MultiDiscreteSpace md = space.getMultiDiscrete();
        long[] nvec = md.getNvecList().stream().mapToLong(Long::longValue).toArray();
        long[] start = md.getStartCount() == 0
            ? new long[nvec.length]
            : md.getStartList().stream().mapToLong(Long::longValue).toArray();
        int[] shape = md.getShapeCount() == 0 ? new int[] {nvec.length} : toInts(md.getShapeList());
        DType dtype = md.getDtype() == io.gymlink.proto.v1.DType.DTYPE_UNSPECIFIED
            ? DType.INT64
            : Tensors.fromProto(md.getDtype());
        yield new MultiDiscreteSpace(nvec, start, shape, dtype);
      }
      case MULTI_BINARY -> new MultiBinarySpace(toInts(space.getMultiBinary().getShapeList()));
      case TUPLE -> {
        List<Space> items = new ArrayList<>();
        for (io.gymlink.proto.v1.Space item : space.getTuple().getSpacesList()) {
          items.add(decodeSpace(item));
        }
        yield new TupleSpace(items);
      }
      case DICT -> {
        Map<String, Space> entries = new LinkedHashMap<>();
        for (DictSpaceEntry entry : space.getDict().getEntriesList()) {
          entries.put(entry.getKey(), decodeSpace(entry.getSpace()));
        }
        yield new DictSpace(entries);
      }
      case KIND_NOT_SET -> throw new IllegalArgumentException("space has no kind set");
    };
  }

  /** The protocol description of a Java space. */
  public static io.gymlink.proto.v1.Space encodeSpace(Space space) {
    io.gymlink.proto.v1.Space.Builder out = io.gymlink.proto.v1.Space.newBuilder();
    if (space instanceof BoxSpace box) {
      io.gymlink.proto.v1.BoxSpace.Builder b =
          io.gymlink.proto.v1.BoxSpace.newBuilder().setDtype(Tensors.toProto(box.dtype()));
      Arrays.stream(box.shape()).forEach(b::addShape);
      Arrays.stream(box.low()).forEach(b::addLow);
      Arrays.stream(box.high()).forEach(b::addHigh);
      out.setBox(b);
    } else if (space instanceof DiscreteSpace d) {
      out.setDiscrete(io.gymlink.proto.v1.DiscreteSpace.newBuilder().setN(d.n()).setStart(d.start()));
    } else if (space instanceof MultiDiscreteSpace md) {
      io.gymlink.proto.v1.MultiDiscreteSpace.Builder b =
          io.gymlink.proto.v1.MultiDiscreteSpace.newBuilder().setDtype(Tensors.toProto(md.dtype()));
      Arrays.stream(md.nvec()).forEach(b::addNvec);
      Arrays.stream(md.start()).forEach(b::addStart);
      Arrays.stream(md.shape()).forEach(b::addShape);
      out.setMultiDiscrete(b);
    } else if (space instanceof MultiBinarySpace mb) {
      io.gymlink.proto.v1.MultiBinarySpace.Builder b = io.gymlink.proto.v1.MultiBinarySpace.newBuilder();
      Arrays.stream(mb.shape()).forEach(b::addShape);
      out.setMultiBinary(b);
    } else if (space instanceof TupleSpace t) {
      io.gymlink.proto.v1.TupleSpace.Builder b = io.gymlink.proto.v1.TupleSpace.newBuilder();
      t.spaces().forEach(s -> b.addSpaces(encodeSpace(s)));
      out.setTuple(b);
    } else if (space instanceof DictSpace d) {
      io.gymlink.proto.v1.DictSpace.Builder b = io.gymlink.proto.v1.DictSpace.newBuilder();
      d.spaces().forEach((k, s) -> b.addEntries(DictSpaceEntry.newBuilder().setKey(k).setSpace(encodeSpace(s))));
      out.setDict(b);
    }
    return out.build();
  }

  // ---- values ------------------------------------------------------------------------------------------------

  /** Encodes a value of {@code space}; the value must already have been checked against the space. */
  public static Value encodeValue(Space space, SpaceValue value) {
    Value.Builder out = Value.newBuilder();
    if (space instanceof BoxSpace box) {
      BoxValue v = (BoxValue) value;
      out.setTensor(Tensors.ofFloats(v.data(), v.shape(), box.dtype()));
    } else if (space instanceof DiscreteSpace) {
      out.setTensor(Tensors.ofLongs(new long[] {((DiscreteValue) value).value()}, new int[0], DType.INT64));
    } else if (space instanceof MultiDiscreteSpace md) {
      MultiDiscreteValue v = (MultiDiscreteValue) value;
      out.setTensor(Tensors.ofLongs(v.data(), v.shape(), md.dtype()));
    } else if (space instanceof MultiBinarySpace) {
      MultiBinaryValue v = (MultiBinaryValue) value;
      long[] bits = new long[v.data().length];
      for (int i = 0; i < bits.length; i++) {
        bits[i] = v.data()[i];
      }
      out.setTensor(Tensors.ofLongs(bits, v.shape(), DType.INT8));
    } else if (space instanceof TupleSpace t) {
      List<SpaceValue> items = ((TupleValue) value).items();
      ValueList.Builder list = ValueList.newBuilder();
      for (int i = 0; i < t.spaces().size(); i++) {
        list.addItems(encodeValue(t.spaces().get(i), items.get(i)));
      }
      out.setTuple(list);
    } else if (space instanceof DictSpace d) {
      Map<String, SpaceValue> entries = ((DictValue) value).entries();
      ValueMap.Builder map = ValueMap.newBuilder();
      d.spaces().forEach((k, s) -> map.putEntries(k, encodeValue(s, entries.get(k))));
      out.setDict(map);
    }
    return out.build();
  }

  /** Decodes a value of {@code space}, failing with the path of the first part that does not fit its subspace. */
  public static SpaceValue decodeValue(Space space, Value value) {
    try {
      return decode(space, value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("value for " + space + " is malformed: " + e.getMessage(), e);
    }
  }

  private static SpaceValue decode(Space space, Value value) {
    if (space instanceof BoxSpace) {
      Tensor t = tensor(value, "Box");
      return new BoxValue(Tensors.toFloats(t), Tensors.shape(t));
    } else if (space instanceof DiscreteSpace) {
      long[] data = Tensors.toLongs(tensor(value, "Discrete"));
      if (data.length != 1) {
        throw new IllegalArgumentException("Discrete value has " + data.length + " elements, expected 1");
      }
      return new DiscreteValue(data[0]);
    } else if (space instanceof MultiDiscreteSpace) {
      Tensor t = tensor(value, "MultiDiscrete");
      return new MultiDiscreteValue(Tensors.toLongs(t), Tensors.shape(t));
    } else if (space instanceof MultiBinarySpace) {
      Tensor t = tensor(value, "MultiBinary");
      long[] bits = Tensors.toLongs(t);
      byte[] data = new byte[bits.length];
      for (int i = 0; i < bits.length; i++) {
        data[i] = (byte) bits[i];
      }
      return new MultiBinaryValue(data, Tensors.shape(t));
    } else if (space instanceof TupleSpace t) {
      if (value.getKindCase() != Value.KindCase.TUPLE) {
        throw new IllegalArgumentException("expected a tuple value, got " + value.getKindCase());
      }
      List<Value> items = value.getTuple().getItemsList();
      if (items.size() != t.spaces().size()) {
        throw new IllegalArgumentException("tuple has " + items.size() + " items, expected " + t.spaces().size());
      }
      List<SpaceValue> out = new ArrayList<>(items.size());
      for (int i = 0; i < items.size(); i++) {
        try {
          out.add(decode(t.spaces().get(i), items.get(i)));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("item " + i + ": " + e.getMessage(), e);
        }
      }
      return new TupleValue(out);
    } else {
      DictSpace d = (DictSpace) space;
      if (value.getKindCase() != Value.KindCase.DICT) {
        throw new IllegalArgumentException("expected a dict value, got " + value.getKindCase());
      }
      Map<String, Value> entries = value.getDict().getEntriesMap();
      if (!entries.keySet().equals(d.spaces().keySet())) {
        throw new IllegalArgumentException("dict has keys " + entries.keySet() + ", expected " + d.spaces().keySet());
      }
      Map<String, SpaceValue> out = new LinkedHashMap<>();
      for (Map.Entry<String, Space> entry : d.spaces().entrySet()) {
        try {
          out.put(entry.getKey(), decode(entry.getValue(), entries.get(entry.getKey())));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("entry '" + entry.getKey() + "': " + e.getMessage(), e);
        }
      }
      return new DictValue(out);
    }
  }

  private static Tensor tensor(Value value, String kind) {
    if (value.getKindCase() != Value.KindCase.TENSOR) {
      throw new IllegalArgumentException("expected a tensor for a " + kind + " value, got " + value.getKindCase());
    }
    return value.getTensor();
  }

  // ---- specs and JSON ----------------------------------------------------------------------------------------

  /** The Java spec of a protocol spec. */
  public static EnvSpec decodeSpec(io.gymlink.proto.v1.EnvSpec spec) {
    return new EnvSpec(spec.getEnvId(),
        spec.hasMaxEpisodeSteps() ? spec.getMaxEpisodeSteps() : null,
        spec.getRewardRangeMin(), spec.getRewardRangeMax(), spec.getRenderModesList(),
        spec.hasRewardThreshold() ? spec.getRewardThreshold() : null);
  }

  /** A JSON-like Java map (see {@link ProtoJson}) as a protocol map. */
  public static JsonMap encodeJson(Map<String, ?> map) {
    return ProtoJson.encodeMap(map);
  }

  /** A protocol map as Java values: null, Boolean, Long, Double, String, List, Map and BoxValue for arrays. */
  public static Map<String, Object> decodeJson(JsonMap map) {
    return ProtoJson.decodeMap(map);
  }

  private static int[] toInts(List<Long> dims) {
    int[] out = new int[dims.size()];
    for (int i = 0; i < out.length; i++) {
      long dim = dims.get(i);
      if (dim < 0 || dim > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("shape " + dims + " has dimension " + dim);
      }
      out[i] = (int) dim;
    }
    return out;
  }
}
