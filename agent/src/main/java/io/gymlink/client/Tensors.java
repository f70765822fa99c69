package io.gymlink.client;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.gymlink.env.spaces.DType;
import io.gymlink.proto.v1.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/** Packs Java arrays into {@code gymlink.v1.Tensor}s (little-endian, row-major) and unpacks them again. */
final class Tensors {

  private Tensors() {}

  /** The wire dtype of a Java dtype. */
  static io.gymlink.proto.v1.DType toProto(DType dtype) {
    return io.gymlink.proto.v1.DType.valueOf(dtype.name());
  }

  /** The Java dtype of a wire dtype; rejects DTYPE_UNSPECIFIED and values this client does not know. */
  static DType fromProto(io.gymlink.proto.v1.DType dtype) {
    if (dtype == io.gymlink.proto.v1.DType.DTYPE_UNSPECIFIED || dtype == io.gymlink.proto.v1.DType.UNRECOGNIZED) {
      throw new IllegalArgumentException("dtype is " + dtype + ", expected one of " + Arrays.toString(DType.values()));
    }
    return DType.valueOf(dtype.name());
  }

  /** A tensor of {@code data} converted to {@code dtype} (integer dtypes truncate, as numpy's astype does). */
  static Tensor ofFloats(float[] data, int[] shape, DType dtype) {
    ByteBuffer buffer = allocate(data.length, dtype);
    for (float x : data) {
      switch (dtype) {
        case FLOAT32 -> buffer.putFloat(x);
        case FLOAT64 -> buffer.putDouble(x);
        case FLOAT16 -> buffer.putShort(HalfFloats.fromFloat(x));
        default -> putInteger(buffer, dtype, (long) x);
      }
    }
    return build(buffer, shape, dtype);
  }

  /** A tensor of integers stored as {@code dtype}. */
  static Tensor ofLongs(long[] data, int[] shape, DType dtype) {
    ByteBuffer buffer = allocate(data.length, dtype);
    for (long x : data) {
      switch (dtype) {
        case FLOAT32 -> buffer.putFloat(x);
        case FLOAT64 -> buffer.putDouble(x);
        case FLOAT16 -> buffer.putShort(HalfFloats.fromFloat(x));
        default -> putInteger(buffer, dtype, x);
      }
    }
    return build(buffer, shape, dtype);
  }

  /** The tensor's shape as ints. */
  static int[] shape(Tensor tensor) {
    int[] shape = new int[tensor.getShapeCount()];
    for (int i = 0; i < shape.length; i++) {
      long dim = tensor.getShape(i);
      if (dim < 0 || dim > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("tensor has dimension " + dim + " in shape " + tensor.getShapeList());
      }
      shape[i] = (int) dim;
    }
    return shape;
  }

  /** The elements as floats, whatever the tensor's dtype. */
  static float[] toFloats(Tensor tensor) {
    DType dtype = fromProto(tensor.getDtype());
    ByteBuffer buffer = elements(tensor, dtype);
    float[] out = new float[buffer.remaining() / dtype.itemSize()];
    for (int i = 0; i < out.length; i++) {
      out[i] = switch (dtype) {
        case FLOAT32 -> buffer.getFloat();
        case FLOAT64 -> (float) buffer.getDouble();
        case FLOAT16 -> HalfFloats.toFloat(buffer.getShort());
        case UINT64 -> unsignedToFloat(buffer.getLong());
        default -> (float) getInteger(buffer, dtype);
      };
    }
    return out;
  }

  /** The elements as longs; the tensor must have an integer (or bool) dtype. */
  static long[] toLongs(Tensor tensor) {
    DType dtype = fromProto(tensor.getDtype());
    if (!dtype.isIntegral()) {
      throw new IllegalArgumentException("tensor has dtype " + dtype.numpyName() + ", expected an integer dtype");
    }
    ByteBuffer buffer = elements(tensor, dtype);
    long[] out = new long[buffer.remaining() / dtype.itemSize()];
    for (int i = 0; i < out.length; i++) {
      out[i] = getInteger(buffer, dtype);
    }
    return out;
  }

  private static ByteBuffer elements(Tensor tensor, DType dtype) {
    long size = 1;
    for (long dim : tensor.getShapeList()) {
      size *= dim;
    }
    long expectedBytes = size * dtype.itemSize();
    if (tensor.getData().size() != expectedBytes) {
      throw new IllegalArgumentException("tensor of shape " + tensor.getShapeList() + " and dtype "
          + dtype.numpyName() + " has " + tensor.getData().size() + " data bytes, expected " + expectedBytes);
    }
    return tensor.getData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
  }

  private static ByteBuffer allocate(int count, DType dtype) {
    return ByteBuffer.allocate(Math.multiplyExact(count, dtype.itemSize())).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static Tensor build(ByteBuffer buffer, int[] shape, DType dtype) {
    Tensor.Builder builder = Tensor.newBuilder().setDtype(toProto(dtype));
    for (int dim : shape) {
      builder.addShape(dim);
    }
    // The array is ours and never touched again, so the ByteString may wrap it instead of copying.
    ByteString data = UnsafeByteOperations.unsafeWrap(buffer.array());
    return builder.setData(data).build();
  }

  private static void putInteger(ByteBuffer buffer, DType dtype, long x) {
    switch (dtype) {
      case INT8, UINT8, BOOL -> buffer.put((byte) x);
      case INT16, UINT16 -> buffer.putShort((short) x);
      case INT32, UINT32 -> buffer.putInt((int) x);
      case INT64, UINT64 -> buffer.putLong(x);
      default -> throw new IllegalStateException("not an integer dtype: " + dtype);
    }
  }

  private static long getInteger(ByteBuffer buffer, DType dtype) {
    return switch (dtype) {
      case INT8 -> buffer.get();
      case UINT8, BOOL -> Byte.toUnsignedLong(buffer.get());
      case INT16 -> buffer.getShort();
      case UINT16 -> Short.toUnsignedLong(buffer.getShort());
      case INT32 -> buffer.getInt();
      case UINT32 -> Integer.toUnsignedLong(buffer.getInt());
      case INT64, UINT64 -> buffer.getLong();
      default -> throw new IllegalStateException("not an integer dtype: " + dtype);
    };
  }

  private static float unsignedToFloat(long x) {
    return x >= 0 ? (float) x : (float) (x >>> 1) * 2f;
  }
}
