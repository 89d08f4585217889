package io.nectar.nlu.encoder;

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
 */
public record EncoderSpec(String name, ModelResource model, ModelResource tokenizer, Pooling pooling,
                          boolean lowerCase, int maxLength) {

    /** bge-small-zh-v1.5, int8-quantised, 512 dimensions: the bundled Chinese encoder. */
    public static final EncoderSpec BGE_SMALL_ZH = new EncoderSpec("bge-small-zh",
            ModelResource.classpath("bge-small-zh-v1.5-q.onnx"),
            ModelResource.classpath("bge-small-zh-v1.5-q-tokenizer.json"), Pooling.CLS, true, 128);

    /** all-MiniLM-L6-v2, int8-quantised, 384 dimensions: the bundled English encoder. */
    public static final EncoderSpec MINILM_L6 = new EncoderSpec("minilm-l6",
            ModelResource.classpath("all-minilm-l6-v2-q.onnx"),
            ModelResource.classpath("all-minilm-l6-v2-q-tokenizer.json"), Pooling.MEAN, true, 128);

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
    }
}
