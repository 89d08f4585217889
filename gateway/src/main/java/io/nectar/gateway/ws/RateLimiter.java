package io.nectar.gateway.ws;

/**
 * Token bucket: {@code burst} messages at once, refilled at {@code perSecond}. Used by one connection
 * on its event loop; not thread-safe.
 */
final class RateLimiter {

    private final double perNano;
    private final double burst;
    private double tokens;
    private long last;

    RateLimiter(double perSecond, int burst) {
        this.perNano = perSecond / 1e9;
        this.burst = burst;
        this.tokens = burst;
        this.last = System.nanoTime();
    }

    /** Takes a token if there is one. */
    boolean tryAcquire() {
        long now = System.nanoTime();
        tokens = Math.min(burst, tokens + (now - last) * perNano);
        last = now;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    /** Milliseconds until the next token. */
    long millisUntilNext() {
        return tokens >= 1 ? 0 : (long) Math.ceil((1 - tokens) / perNano / 1e6);
    }
}
