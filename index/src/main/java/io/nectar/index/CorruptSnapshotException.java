package io.nectar.index;

import java.io.IOException;
import java.nio.file.Path;

/** A snapshot file that is truncated, fails its checksum, or is not a snapshot this version can read. */
public final class CorruptSnapshotException extends IOException {
    private final Path file;

    public CorruptSnapshotException(Path file, String message) {
        super(file + ": " + message);
        this.file = file;
    }

    public CorruptSnapshotException(Path file, String message, Throwable cause) {
        super(file + ": " + message, cause);
        this.file = file;
    }

    public Path file() {
        return file;
    }
}
