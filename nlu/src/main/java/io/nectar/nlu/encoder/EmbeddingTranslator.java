package io.nectar.nlu.encoder;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.Batchifier;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;

import java.util.Locale;
import java.util.Set;

/**
 * Turns a batch of sentences into token tensors and the model's token vectors into L2-normalised
 * sentence vectors, pooling in Java (DJL's stock translator needs the tokenizers' Rust engine for that).
 * One call is one ONNX run over the whole batch, padded to its longest sentence.
 */
final class EmbeddingTranslator implements Translator<String[], float[][]> {

    private static final String MASK = "mask";

    private final HuggingFaceTokenizer tokenizer;
    private final Pooling pooling;
    private final boolean lowerCase;
    private final String prefix;
    private final boolean wantsTokenTypes;

    EmbeddingTranslator(HuggingFaceTokenizer tokenizer, Pooling pooling, boolean lowerCase, String prefix,
                        Set<String> inputNames) {
        this.tokenizer = tokenizer;
        this.pooling = pooling;
        this.lowerCase = lowerCase;
        this.prefix = prefix;
        this.wantsTokenTypes = inputNames.contains("token_type_ids");
    }

    @Override
    public Batchifier getBatchifier() {
        return null; // the input already is the batch
    }

    @Override
    public NDList processInput(TranslatorContext ctx, String[] texts) {
        String[] prepared = texts;
        if (lowerCase || !prefix.isEmpty()) {
            prepared = new String[texts.length];
            for (int i = 0; i < texts.length; i++) {
                String s = prefix + texts[i];
                prepared[i] = lowerCase ? s.toLowerCase(Locale.ROOT) : s;
            }
        }
        Encoding[] encodings = tokenizer.batchEncode(prepared);
        int batch = encodings.length;
        int len = 0;
        for (Encoding e : encodings) {
            len = Math.max(len, e.getIds().length);
        }
        long[] ids = new long[batch * len];
        long[] mask = new long[batch * len];
        long[] types = new long[batch * len];
        for (int b = 0; b < batch; b++) {
            long[] eIds = encodings[b].getIds();
            long[] eMask = encodings[b].getAttentionMask();
            long[] eTypes = encodings[b].getTypeIds();
            System.arraycopy(eIds, 0, ids, b * len, eIds.length);
            System.arraycopy(eMask, 0, mask, b * len, eMask.length);
            System.arraycopy(eTypes, 0, types, b * len, eTypes.length);
        }
        NDManager manager = ctx.getNDManager();
        Shape shape = new Shape(batch, len);
        NDArray idArray = manager.create(ids, shape);
        idArray.setName("input_ids");
        NDArray maskArray = manager.create(mask, shape);
        maskArray.setName("attention_mask");
        ctx.setAttachment(MASK, mask);
        NDList list = new NDList(idArray, maskArray);
        if (wantsTokenTypes) {
            NDArray typeArray = manager.create(types, shape);
            typeArray.setName("token_type_ids");
            list.add(typeArray);
        }
        return list;
    }

    @Override
    public float[][] processOutput(TranslatorContext ctx, NDList output) {
        NDArray tokens = output.get(0);
        Shape shape = tokens.getShape();
        int batch = (int) shape.get(0);
        int len = (int) shape.get(1);
        int dim = (int) shape.get(2);
        float[] data = tokens.toFloatArray();
        long[] mask = (long[]) ctx.getAttachment(MASK);
        float[][] out = new float[batch][];
        for (int b = 0; b < batch; b++) {
            float[] v = new float[dim];
            int base = b * len * dim;
            if (pooling == Pooling.CLS) {
                System.arraycopy(data, base, v, 0, dim);
            } else {
                int count = 0;
                for (int t = 0; t < len; t++) {
                    if (mask[b * len + t] == 0) {
                        continue;
                    }
                    count++;
                    int off = base + t * dim;
                    for (int d = 0; d < dim; d++) {
                        v[d] += data[off + d];
                    }
                }
                if (count > 0) {
                    for (int d = 0; d < dim; d++) {
                        v[d] /= count;
                    }
                }
            }
            out[b] = Vectors.normalize(v);
        }
        return out;
    }
}
