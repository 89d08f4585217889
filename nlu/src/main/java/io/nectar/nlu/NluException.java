package io.nectar.nlu;

/**
 * The one exception the NLU library throws or completes futures with. The {@link Code} tells a caller
 * what to do: {@code OVERLOADED} means retry later or degrade, {@code MODEL} means the model itself failed.
 */
public class NluException extends RuntimeException {

    public enum Code {
        /** The inference queue is full; the request was refused at once instead of waiting. */
        OVERLOADED,
        /** The model or tokenizer failed to load or to run. */
        MODEL,
        /** The executor was shut down. */
        CLOSED,
        /** The caller asked for something that does not exist (an unknown encoder name, say). */
        BAD_REQUEST
    }

    private final Code code;

    public NluException(Code code, String message) {
        super(message);
        this.code = code;
    }

    public NluException(Code code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public Code code() {
        return code;
    }
}
