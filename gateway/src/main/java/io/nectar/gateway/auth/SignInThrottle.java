package io.nectar.gateway.auth;

import io.vertx.core.Future;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;

/**
 * Limits password guessing: at most {@value #PER_ACCOUNT} failed sign-ins per account and
 * {@value #PER_CLIENT} per client address in a {@link #WINDOW} window, counted in the {@link TtlStore}
 * (Redis in shared mode, so the limit holds across nodes). While over a limit every attempt is refused
 * before the password is checked, the right one too. A successful sign-in clears the account's count.
 */
public final class SignInThrottle {

    public static final int PER_ACCOUNT = 5;
    public static final int PER_CLIENT = 30;
    public static final Duration WINDOW = Duration.ofMinutes(15);

    private final TtlStore store;

    public SignInThrottle(TtlStore store) {
        this.store = store;
    }

    /** Milliseconds until this account may try again from this client; 0 when it may now. */
    public Future<Long> waitMillis(String merchant, String login, String client) {
        return Future.all(store.counter(accountKey(merchant, login)), store.counter(clientKey(client))).map(all -> {
            long[] account = all.resultAt(0);
            long[] byClient = all.resultAt(1);
            long wait = 0;
            if (account[0] >= PER_ACCOUNT) {
                wait = Math.max(wait, Math.max(1, account[1]));
            }
            if (byClient[0] >= PER_CLIENT) {
                wait = Math.max(wait, Math.max(1, byClient[1]));
            }
            return wait;
        });
    }

    public Future<Void> failed(String merchant, String login, String client) {
        return Future.all(store.increment(accountKey(merchant, login), WINDOW), store.increment(clientKey(client), WINDOW)).mapEmpty();
    }

    public Future<Void> succeeded(String merchant, String login) {
        return store.delete(accountKey(merchant, login));
    }

    private static String accountKey(String merchant, String login) {
        return "fail:a:" + hex(merchant + "\n" + Agent.normalize(login));
    }

    private static String clientKey(String client) {
        return "fail:c:" + hex(client == null ? "?" : client);
    }

    private static String hex(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return b.length <= 80 ? HexFormat.of().formatHex(b) : Integer.toHexString(s.hashCode()) + b.length;
    }
}
