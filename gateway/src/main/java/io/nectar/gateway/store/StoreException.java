package io.nectar.gateway.store;

/**
 * A store that cannot be served. The message is one line: the file (and the line and column where
 * known), what is wrong, and how to fix it; a source prefixes its directory ({@link #in}). An error of
 * the directory itself (no FAQ file, a directory name that is no merchant id) names no file.
 */
public class StoreException extends RuntimeException {

    private final boolean ofDirectory;

    /** An error in one of the store's files; the message starts with the file's name. */
    public StoreException(String message) {
        this(message, null, false);
    }

    public StoreException(String message, Throwable cause) {
        this(message, cause, false);
    }

    private StoreException(String message, Throwable cause, boolean ofDirectory) {
        super(message, cause);
        this.ofDirectory = ofDirectory;
    }

    /** An error of the store directory as a whole rather than of one file in it. */
    public static StoreException ofDirectory(String message) {
        return new StoreException(message, null, true);
    }

    /** This error with the store's location before it: {@code /srv/shop/faq.jsonl line 3…} or {@code /srv/shop: …}. */
    public StoreException in(String location) {
        return new StoreException(location + (ofDirectory ? ": " : "/") + getMessage(), getCause(), ofDirectory);
    }
}
