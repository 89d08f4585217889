package io.nectar.loadgen.engine;

import io.vertx.core.http.UpgradeRejectedException;

import java.net.ConnectException;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

/** The error kind a failed connect is counted under ({@code connect:<kind>} in the report). */
final class ConnectFailures {

    private ConnectFailures() {
    }

    /**
     * {@code http_<status>} for a refused upgrade, {@code too_many_open_files}, {@code no_source_port},
     * {@code refused}, {@code timeout}, {@code reset}, else the exception's simple class name.
     */
    static String kind(Throwable t) {
        String msg = String.valueOf(t.getMessage());
        if (t instanceof UpgradeRejectedException u) {
            return "http_" + u.getStatus();
        }
        if (msg.contains("Too many open files")) {
            return "too_many_open_files";
        }
        if (msg.contains("Cannot assign requested address")) {
            return "no_source_port";
        }
        if (t instanceof ConnectException || msg.contains("Connection refused")) {
            return "refused";
        }
        if (t instanceof TimeoutException || msg.toLowerCase(Locale.ROOT).contains("timed out")) {
            return "timeout";
        }
        if (msg.contains("Connection reset")) {
            return "reset";
        }
        return t.getClass().getSimpleName();
    }
}
