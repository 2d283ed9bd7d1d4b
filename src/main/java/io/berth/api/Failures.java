package io.berth.api;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import jakarta.persistence.OptimisticLockException;

import org.hibernate.StaleStateException;

import io.vertx.core.VertxException;

/**
 * Recognises infrastructure failures deep in a cause chain (the transaction manager, Hibernate and
 * the pool each wrap them) and turns the ones a client can act on into contract errors.
 */
public final class Failures {

    /** Seconds a client should wait before retrying when the database is away. */
    static final long DATABASE_RETRY_AFTER = 5;

    private Failures() {
    }

    /**
     * The contract error for a known infrastructure failure, or null when it is a genuine bug. The
     * cause chain is searched first, then the exceptions suppressed along it: a commit that fails
     * for a lost connection arrives as the transaction manager's RollbackException, with the
     * driver's SQLException only suppressed under it.
     */
    public static ApiException classify(Throwable failure) {
        return classify(failure, Collections.newSetFromMap(new IdentityHashMap<>()));
    }

    private static ApiException classify(Throwable failure, Set<Throwable> seen) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
            chain.add(t);
            ApiException mapped = classifyOne(t);
            if (mapped != null) {
                return mapped;
            }
        }
        for (Throwable t : chain) {
            for (Throwable suppressed : t.getSuppressed()) {
                ApiException mapped = classify(suppressed, seen);
                if (mapped != null) {
                    return mapped;
                }
            }
        }
        return null;
    }

    private static ApiException classifyOne(Throwable t) {
        if (t instanceof ApiException api) {
            return api;
        }
        if (t instanceof OptimisticLockException || t instanceof StaleStateException) {
            return ApiException.conflict("The resource was changed by another request.",
                    "Re-read the resource and apply your change to its current version.");
        }
        return t instanceof SQLException sql ? classifySql(sql) : null;
    }

    private static ApiException classifySql(SQLException sql) {
        String state = sql.getSQLState() == null ? "" : sql.getSQLState();
        if ("23505".equals(state)) {
            return ApiException.conflict("A resource with the same unique value already exists.",
                    "Choose another name or update the existing resource.");
        }
        String message = sql.getMessage() == null ? "" : sql.getMessage().toLowerCase(Locale.ROOT);
        boolean unreachable = state.startsWith("08") // connection exceptions (incl. pgjdbc's socket timeout: 08006)
                || state.startsWith("57P") // admin shutdown, crash shutdown, cannot connect now
                || "57014".equals(state) // query_canceled: our statement_timeout ended a slow statement
                || "25P03".equals(state) // idle_in_transaction_session_timeout ended the session
                || state.startsWith("53") // insufficient resources: too many connections, disk full, out of memory
                || sql instanceof SQLTransientConnectionException
                || ("99999".equals(state) && lostConnection(sql.getCause()))
                || message.contains("acquisition timeout"); // Agroal: no connection within the timeout
        return unreachable
                ? ApiException.unavailable("The database is unavailable.", DATABASE_RETRY_AFTER)
                : null;
    }

    /**
     * Whether {@code failure} only says that the client went away before its request was read or
     * answered (issue 15): Quarkus REST's blocking body stream fails with a
     * {@link ClosedChannelException} (Netty's stackless one is a subclass) when the connection
     * closes mid-body, Vert.x with "Connection was closed". Nothing the server did is wrong, nobody
     * is left to answer, so it is neither an error nor a 500. Database and registry I/O never
     * surfaces as these: pgjdbc and java.net.http use sockets, not channels, and are classified (or
     * wrapped) before this is asked.
     */
    public static boolean clientGone(Throwable failure) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
            if (t instanceof ClosedChannelException
                    || (t instanceof VertxException && "Connection was closed".equals(t.getMessage()))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether pgjdbc's UNEXPECTED_ERROR (99999) wraps a lost or abandoned connection rather than a
     * bug: an I/O failure, or the RuntimeException pgjdbc's Driver raises when a connection attempt
     * under loginTimeout is interrupted (the pool gives up on it while the network drops packets).
     */
    private static boolean lostConnection(Throwable cause) {
        return cause instanceof IOException
                || (cause instanceof RuntimeException && cause.getMessage() != null
                        && cause.getMessage().startsWith("Interrupted while attempting to connect"));
    }
}
