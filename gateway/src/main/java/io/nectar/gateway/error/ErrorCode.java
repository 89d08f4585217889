package io.nectar.gateway.error;

/**
 * Stable error codes of the chat protocol (docs/protocol.md). The wire form is {@link #code()};
 * clients may switch on it, so codes are never renamed.
 */
public enum ErrorCode {
    /** The frame is not a JSON object. */
    BAD_JSON("bad_json", false),
    /** The frame's {@code type} is missing or not one the server knows. */
    UNKNOWN_TYPE("unknown_type", false),
    /** A message without text, or with only white space. */
    EMPTY_TEXT("empty_text", false),
    /** A message longer than the text limit (2,000 characters by default). */
    TEXT_TOO_LONG("text_too_long", false),
    /** The client message id is not a string of 1-128 characters. */
    BAD_ID("bad_id", false),
    /** A binary frame; the protocol is JSON text frames. */
    BINARY_NOT_SUPPORTED("binary_not_supported", false),
    /** A frame or message over the size limit (64 KiB by default); sent as WebSocket close code 1009. */
    MESSAGE_TOO_BIG("message_too_big", true),
    /** The connection URL names no merchant. */
    MISSING_MERCHANT("missing_merchant", true),
    /** The connection URL names a merchant this gateway does not serve. */
    UNKNOWN_MERCHANT("unknown_merchant", true),
    /** The shopper sends faster than the per-connection limit; the message was not processed. */
    RATE_LIMITED("rate_limited", false),
    /** Too many messages wait for replies on this connection; the message was not processed. */
    TOO_MANY_PENDING("too_many_pending", false),
    /** The node is saturated (inference queue full); retry shortly. */
    OVERLOADED("overloaded", false),
    /** The page that opened the connection is on a web origin the store's {@code allowedOrigins} does not list. */
    ORIGIN_NOT_ALLOWED("origin_not_allowed", true),
    /** The gateway is still loading models and knowledge. */
    NOT_READY("not_ready", true),
    /**
     * The conversation could not be saved (the shared store did not answer in time): nothing was
     * answered; send the message again with the same id in a moment.
     */
    UNAVAILABLE("unavailable", false),
    /** Something failed on our side; the message may be retried with the same id. */
    INTERNAL("internal", false),
    /** The {@code shopper} token at connect was malformed, forged or expired: the chat goes on anonymously. */
    BAD_SHOPPER_TOKEN("bad_shopper_token", false),
    /** A {@code rate} or {@code offer} frame with a bad field. */
    BAD_EVENT("bad_event", false);

    private final String code;
    private final boolean closesConnection;

    ErrorCode(String code, boolean closesConnection) {
        this.code = code;
        this.closesConnection = closesConnection;
    }

    public String code() {
        return code;
    }

    /** Whether the server closes the WebSocket after sending this error. */
    public boolean closesConnection() {
        return closesConnection;
    }
}
