package io.gymlink.export;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import onnx.Onnx.GraphProto;
import onnx.Onnx.ModelProto;
import onnx.Onnx.NodeProto;
import onnx.Onnx.StringStringEntryProto;
import onnx.Onnx.TensorProto;
import onnx.Onnx.TensorShapeProto;
import onnx.Onnx.TypeProto;
import onnx.Onnx.ValueInfoProto;
import org.nd4j.shade.protobuf.ByteString;

/** Builds one ONNX graph of float32 tensors with a dynamic batch dimension, node by node (for the exporter). */
final class OnnxGraph {
  private final GraphProto.Builder graph = GraphProto.newBuilder();

  OnnxGraph(String name) {
    graph.setName(name);
  }

  /** A graph input of shape [batch, width]. */
  void input(String name, int width) {
    graph.addInput(batchOf(name, width));
  }

  /** A graph output of shape [batch, width]. */
  void output(String name, int width) {
    graph.addOutput(batchOf(name, width));
  }

  /** A constant float32 tensor with the given dimensions (none: a scalar), stored little-endian. */
  void initializer(String name, float[] values, long... dims) {
    long count = 1;
    for (long d : dims) {
      count *= d;
    }
    if (count != values.length) {
      throw new IllegalArgumentException("initializer " + name + " has " + values.length + " values for dims "
          + java.util.Arrays.toString(dims));
    }
    ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(values);
    TensorProto.Builder tensor = TensorProto.newBuilder().setName(name)
        .setDataType(TensorProto.DataType.FLOAT_VALUE).setRawData(ByteString.copyFrom(bytes.array()));
    for (long d : dims) {
      tensor.addDims(d);
    }
    graph.addInitializer(tensor);
  }

  /** A node whose one output is named like the node; returns that name. */
  String node(String opType, String name, String... inputs) {
    nodeTo(opType, name, name, inputs);
    return name;
  }

  /** A node whose one output is {@code output}. */
  void nodeTo(String opType, String name, String output, String... inputs) {
    NodeProto.Builder node = NodeProto.newBuilder().setOpType(opType).setName(name).addOutput(output);
    for (String input : inputs) {
      node.addInput(input);
    }
    graph.addNode(node);
  }

  /** The model: this graph, the default ONNX domain at {@code opset}, and {@code metadata} as metadata_props. */
  ModelProto model(int irVersion, int opset, Map<String, String> metadata) {
    ModelProto.Builder model = ModelProto.newBuilder().setIrVersion(irVersion).setProducerName("gymlink")
        .setGraph(graph);
    String version = OnnxGraph.class.getPackage().getImplementationVersion();
    model.setProducerVersion(version == null ? "dev" : version);
    model.addOpsetImportBuilder().setDomain("").setVersion(opset);
    metadata.forEach((key, value) -> model.addMetadataProps(StringStringEntryProto.newBuilder().setKey(key)
        .setValue(value)));
    return model.build();
  }

  private static ValueInfoProto batchOf(String name, int width) {
    TensorShapeProto shape = TensorShapeProto.newBuilder()
        .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("batch"))
        .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(width))
        .build();
    TypeProto type = TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder()
        .setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(shape)).build();
    return ValueInfoProto.newBuilder().setName(name).setType(type).build();
  }
}
