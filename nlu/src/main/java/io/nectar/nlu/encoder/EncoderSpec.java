package io.nectar.nlu.encoder;

import java.nio.file.Path;
import java.util.List;

/**
 * What an ONNX sentence encoder is and how to run it. Any BERT-style ONNX export with a HuggingFace
 * {@code tokenizer.json} fits: inputs {@code input_ids}, {@code attention_mask} and optionally
 * {@code token_type_ids}; first output the token vectors {@code [batch, tokens, dim]}.
 *
 * @param name       the name callers use to pick this encoder
 * @param model      the {@code .onnx} file
 * @param tokenizer  the {@code tokenizer.json} file
 * @param pooling    how token vectors become the sentence vector
 * @param lowerCase  lower-case text before tokenizing (BGE's tokenizer.json has it off; "iPhone15" would be [UNK])
 * @param maxLength  tokens kept per sentence; longer input is truncated
 * @param prefix     text put before every sentence (e5 models expect {@code "query: "}); empty for none
 */
public record EncoderSpec(String name, ModelResource model, ModelResource tokenizer, Pooling pooling,
                          boolean lowerCase, int maxLength, String prefix) {

    /** bge-small-zh-v1.5, int8-quantised, 512 dimensions: the bundled Chinese encoder. */
    public static final EncoderSpec BGE_SMALL_ZH = new EncoderSpec("bge-small-zh",
            ModelResource.classpath("bge-small-zh-v1.5-q.onnx"),
            ModelResource.classpath("bge-small-zh-v1.5-q-tokenizer.json"), Pooling.CLS, true, 128);

    /** all-MiniLM-L6-v2, int8-quantised, 384 dimensions: the bundled English encoder. */
    public static final EncoderSpec MINILM_L6 = new EncoderSpec("minilm-l6",
            ModelResource.classpath("all-minilm-l6-v2-q.onnx"),
            ModelResource.classpath("all-minilm-l6-v2-q-tokenizer.json"), Pooling.MEAN, true, 128);

    /** bge-small-en-v1.5, int8-quantised, 384 dimensions: a second English encoder. */
    public static final EncoderSpec BGE_SMALL_EN = new EncoderSpec("bge-small-en",
            ModelResource.classpath("bge-small-en-v1.5-q.onnx"),
            ModelResource.classpath("bge-small-en-v1.5-q-tokenizer.json"), Pooling.CLS, true, 128);

    /** e5-small-v2, int8-quantised, 384 dimensions: a third English encoder (queries get the "query: " prefix). */
    public static final EncoderSpec E5_SMALL = new EncoderSpec("e5-small",
            ModelResource.classpath("e5-small-v2-q.onnx"),
            ModelResource.classpath("e5-small-v2-q-tokenizer.json"), Pooling.MEAN, true, 128, "query: ");

    /** Every encoder carried in the project's jars. */
    public static final List<EncoderSpec> BUNDLED = List.of(BGE_SMALL_ZH, MINILM_L6, BGE_SMALL_EN, E5_SMALL);

    /** A spec without a text prefix. */
    public EncoderSpec(String name, ModelResource model, ModelResource tokenizer, Pooling pooling,
                       boolean lowerCase, int maxLength) {
        this(name, model, tokenizer, pooling, lowerCase, maxLength, "");
    }

    /** The bundled encoder of this name, or {@code null}. */
    public static EncoderSpec bundled(String name) {
        for (EncoderSpec s : BUNDLED) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        return null;
    }

    /**
     * An encoder from files: any ONNX sentence encoder with its {@code tokenizer.json} (a merchant's
     * multilingual model, say).
     */
    public static EncoderSpec fromFiles(String name, Path model, Path tokenizer, Pooling pooling, boolean lowerCase,
                                        String prefix) {
        return new EncoderSpec(name, ModelResource.file(model), ModelResource.file(tokenizer), pooling, lowerCase, 256,
                prefix == null ? "" : prefix);
    }

    public EncoderSpec {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank");
        }
        if (model == null || tokenizer == null || pooling == null) {
            throw new IllegalArgumentException("model, tokenizer and pooling are required");
        }
        if (maxLength < 8 || maxLength > 512) {
            throw new IllegalArgumentException("maxLength must be in 8..512, was " + maxLength);
        }
        if (prefix == null) {
            prefix = "";
        }
    }
}
