package io.nectar.nlu.intent;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes a {@link SoftmaxHead} as a standard ONNX model (IR 8, opset 13), serialising the few ONNX
 * protobuf messages it needs (ModelProto, GraphProto, NodeProto, AttributeProto, TensorProto,
 * ValueInfoProto) field by field with protobuf-java's {@link CodedOutputStream}; field numbers are those
 * of {@code onnx.proto}.
 * <p>
 * Graph: inputs {@code dense} float [N, D] (when the head uses sentence vectors), {@code lex_ids} int64
 * [N, K] and {@code lex_values} float [N, K] (when it uses lexical features; pad with id 0 and value 0);
 * output {@code probabilities} float [N, C] = Softmax(Gemm(dense, Wd, b) + ReduceSum(Gather(Wl, lex_ids)
 * × lex_values, axis 1)).
 */
final class OnnxHeadWriter {

    static final String INPUT_DENSE = "dense";
    static final String INPUT_LEX_IDS = "lex_ids";
    static final String INPUT_LEX_VALUES = "lex_values";
    static final String OUTPUT = "probabilities";

    static final long IR_VERSION = 8;
    static final long OPSET = 13;

    // onnx.proto TensorProto.DataType
    private static final int FLOAT = 1;
    private static final int INT64 = 7;
    // onnx.proto AttributeProto.AttributeType
    private static final int ATTR_INT = 2;

    private OnnxHeadWriter() {
    }

    static byte[] write(SoftmaxHead head, String graphName, Map<String, String> metadata) {
        if (head.denseDim == 0 && head.vocab == 0) {
            throw new IllegalArgumentException("a head needs sentence vectors or lexical features");
        }
        int c = head.classes;
        List<byte[]> nodes = new ArrayList<>();
        List<byte[]> initializers = new ArrayList<>();
        List<byte[]> inputs = new ArrayList<>();

        initializers.add(floatTensor("bias", new long[]{c}, head.bias));
        String denseLogits = null;
        String lexLogits = null;
        if (head.denseDim > 0) {
            inputs.add(valueInfo(INPUT_DENSE, FLOAT, "N", head.denseDim));
            initializers.add(floatTensor("w_dense", new long[]{head.denseDim, c}, head.wDense));
            denseLogits = "dense_logits";
            nodes.add(node("Gemm", "gemm", List.of(INPUT_DENSE, "w_dense", "bias"), denseLogits));
        }
        if (head.vocab > 0) {
            inputs.add(valueInfo(INPUT_LEX_IDS, INT64, "N", -1));
            inputs.add(valueInfo(INPUT_LEX_VALUES, FLOAT, "N", -1));
            initializers.add(floatTensor("w_lex", new long[]{head.vocab, c}, head.wLex));
            initializers.add(int64Tensor("axis_1", new long[]{1}, new long[]{1}));
            initializers.add(int64Tensor("axis_2", new long[]{1}, new long[]{2}));
            nodes.add(node("Gather", "gather", List.of("w_lex", INPUT_LEX_IDS), "lex_rows", attrInt("axis", 0)));
            nodes.add(node("Unsqueeze", "unsqueeze", List.of(INPUT_LEX_VALUES, "axis_2"), "lex_values_3d"));
            nodes.add(node("Mul", "mul", List.of("lex_rows", "lex_values_3d"), "lex_weighted"));
            lexLogits = "lex_logits";
            nodes.add(node("ReduceSum", "reduce_sum", List.of("lex_weighted", "axis_1"), lexLogits, attrInt("keepdims", 0)));
        }
        String logits = "logits";
        if (denseLogits != null && lexLogits != null) {
            nodes.add(node("Add", "add", List.of(denseLogits, lexLogits), logits));
        } else if (denseLogits != null) {
            nodes.add(node("Identity", "identity", List.of(denseLogits), logits));
        } else {
            nodes.add(node("Add", "add", List.of(lexLogits, "bias"), logits));
        }
        nodes.add(node("Softmax", "softmax", List.of(logits), OUTPUT, attrInt("axis", 1)));

        byte[] graph = message(out -> {
            for (byte[] n : nodes) {
                out.writeByteArray(1, n);                       // GraphProto.node
            }
            out.writeString(2, graphName);                      // GraphProto.name
            for (byte[] t : initializers) {
                out.writeByteArray(5, t);                       // GraphProto.initializer
            }
            for (byte[] i : inputs) {
                out.writeByteArray(11, i);                      // GraphProto.input
            }
            out.writeByteArray(12, valueInfo(OUTPUT, FLOAT, "N", c)); // GraphProto.output
        });
        byte[] opset = message(out -> {
            out.writeString(1, "");                             // OperatorSetIdProto.domain (default)
            out.writeInt64(2, OPSET);                           // OperatorSetIdProto.version
        });
        return message(out -> {
            out.writeInt64(1, IR_VERSION);                      // ModelProto.ir_version
            out.writeString(2, "nectar");                       // ModelProto.producer_name
            out.writeString(3, "1");                            // ModelProto.producer_version
            out.writeString(4, "io.nectar.nlu");                // ModelProto.domain
            out.writeInt64(5, 1);                               // ModelProto.model_version
            out.writeByteArray(7, graph);                       // ModelProto.graph
            out.writeByteArray(8, opset);                       // ModelProto.opset_import
            for (Map.Entry<String, String> e : metadata.entrySet()) {
                out.writeByteArray(14, message(kv -> {          // ModelProto.metadata_props
                    kv.writeString(1, e.getKey());
                    kv.writeString(2, e.getValue());
                }));
            }
        });
    }

    private interface Body {
        void write(CodedOutputStream out) throws IOException;
    }

    private static byte[] message(Body body) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            CodedOutputStream out = CodedOutputStream.newInstance(bytes);
            body.write(out);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise ONNX message", e);
        }
    }

    private static byte[] node(String op, String name, List<String> inputs, String output, byte[]... attributes) {
        return message(out -> {
            for (String in : inputs) {
                out.writeString(1, in);                         // NodeProto.input
            }
            out.writeString(2, output);                         // NodeProto.output
            out.writeString(3, name);                           // NodeProto.name
            out.writeString(4, op);                             // NodeProto.op_type
            for (byte[] a : attributes) {
                out.writeByteArray(5, a);                       // NodeProto.attribute
            }
        });
    }

    private static byte[] attrInt(String name, long value) {
        return message(out -> {
            out.writeString(1, name);                           // AttributeProto.name
            out.writeInt64(3, value);                           // AttributeProto.i
            out.writeEnum(20, ATTR_INT);                        // AttributeProto.type
        });
    }

    private static byte[] floatTensor(String name, long[] dims, float[] data) {
        ByteBuffer raw = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(data);
        return tensor(name, dims, FLOAT, raw.array());
    }

    private static byte[] int64Tensor(String name, long[] dims, long[] data) {
        ByteBuffer raw = ByteBuffer.allocate(data.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        raw.asLongBuffer().put(data);
        return tensor(name, dims, INT64, raw.array());
    }

    private static byte[] tensor(String name, long[] dims, int type, byte[] raw) {
        return message(out -> {
            for (long d : dims) {
                out.writeInt64(1, d);                           // TensorProto.dims
            }
            out.writeInt32(2, type);                            // TensorProto.data_type
            out.writeString(8, name);                           // TensorProto.name
            out.writeBytes(9, ByteString.copyFrom(raw));        // TensorProto.raw_data (little-endian)
        });
    }

    /** A tensor type [batch, width]; width < 0 leaves the second dimension symbolic. */
    private static byte[] valueInfo(String name, int elemType, String batchParam, long width) {
        byte[] batchDim = message(out -> out.writeString(2, batchParam));   // Dimension.dim_param
        byte[] widthDim = message(out -> {
            if (width >= 0) {
                out.writeInt64(1, width);                       // Dimension.dim_value
            } else {
                out.writeString(2, "K");                        // Dimension.dim_param
            }
        });
        byte[] shape = message(out -> {
            out.writeByteArray(1, batchDim);                    // TensorShapeProto.dim
            out.writeByteArray(1, widthDim);
        });
        byte[] tensorType = message(out -> {
            out.writeInt32(1, elemType);                        // TypeProto.Tensor.elem_type
            out.writeByteArray(2, shape);                       // TypeProto.Tensor.shape
        });
        byte[] type = message(out -> out.writeByteArray(1, tensorType)); // TypeProto.tensor_type
        return message(out -> {
            out.writeString(1, name);                           // ValueInfoProto.name
            out.writeByteArray(2, type);                        // ValueInfoProto.type
        });
    }
}
