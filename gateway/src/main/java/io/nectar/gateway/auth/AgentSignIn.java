package io.nectar.gateway.auth;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Signs agents in: throttle check, account lookup, password check on the {@code agent-sign-in} thread
 * (PBKDF2 takes a few hundred milliseconds: never on an event loop; one thread and a short queue, so a
 * burst of sign-ins cannot take the node's cores from shoppers), then a session. An unknown login is
 * checked against a dummy hash, so it takes as long as a wrong password, and both fail alike.
 */
public final class AgentSignIn implements AutoCloseable {

    /** Why a sign-in failed: {@code WRONG} (login or password: never said which), {@code THROTTLED}, {@code BUSY}. */
    public static final class Refused extends RuntimeException {
        public enum Kind { WRONG, THROTTLED, BUSY }

        private final Kind kind;
        private final long retryAfterMillis;

        Refused(Kind kind, long retryAfterMillis) {
            super(kind.name(), null, false, false);
            this.kind = kind;
            this.retryAfterMillis = retryAfterMillis;
        }

        public Kind kind() {
            return kind;
        }

        public long retryAfterMillis() {
            return retryAfterMillis;
        }
    }

    private final AgentAccounts accounts;
    private final Sessions sessions;
    private final SignInThrottle throttle;
    private final ThreadPoolExecutor kdf;

    public AgentSignIn(AgentAccounts accounts, Sessions sessions, SignInThrottle throttle) {
        this.accounts = accounts;
        this.sessions = sessions;
        this.throttle = throttle;
        this.kdf = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(32), r -> {
            Thread t = new Thread(r, "agent-sign-in");
            t.setDaemon(true);
            return t;
        });
        // the hash an unknown login is checked against, so it costs what a wrong password costs: made by
        // the sign-in thread before any sign-in, not by the gateway's start (600,000 rounds, about a second)
        kdf.execute(PasswordHashing::dummyHash);
    }

    public Sessions sessions() {
        return sessions;
    }

    /** A new session, or a failure with {@link Refused}. Call on an event loop. */
    public Future<AgentSession> signIn(String merchant, String login, String password, String client) {
        Context context = Vertx.currentContext();
        return throttle.waitMillis(merchant, login, client).compose(wait -> {
            if (wait > 0) {
                return Future.failedFuture(new Refused(Refused.Kind.THROTTLED, wait));
            }
            return accounts.find(merchant, login).compose(agent -> {
                CompletableFuture<Boolean> checked = new CompletableFuture<>();
                char[] pw = password.toCharArray();
                try {
                    kdf.execute(() -> {
                        try {
                            checked.complete(PasswordHashing.verify(pw, agent == null ? PasswordHashing.dummyHash() : agent.passwordHash()) && agent != null);
                        } catch (RuntimeException e) {
                            checked.completeExceptionally(e);
                        } finally {
                            PasswordHashing.wipe(pw);
                        }
                    });
                } catch (RejectedExecutionException e) {
                    return Future.failedFuture(new Refused(Refused.Kind.BUSY, 1_000));
                }
                Future<Boolean> ok = context == null ? Future.fromCompletionStage(checked) : Future.fromCompletionStage(checked, context);
                return ok.compose(right -> {
                    if (!right) {
                        return throttle.failed(merchant, login, client)
                                .transform(ignored -> Future.failedFuture(new Refused(Refused.Kind.WRONG, 0)));
                    }
                    return throttle.succeeded(merchant, login).transform(ignored -> sessions.create(agent));
                });
            });
        });
    }

    @Override
    public void close() {
        kdf.shutdownNow();
    }
}
