package io.berth.api;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Locale;

import jakarta.persistence.OptimisticLockException;

import org.hibernate.StaleStateException;

/**
 * Recognises infrastructure failures deep in a cause chain (the transaction manager, Hibernate and
 * the pool each wrap them) and turns the ones a client can act on into contract errors.
 */
public final class Failures {

    /** Seconds a client should wait before retrying when the database is away. */
    static final long DATABASE_RETRY_AFTER = 5;

    private Failures() {
    }

    /** The contract error for a known infrastructure failure, or null when it is a genuine bug. */
    public static ApiException classify(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ApiException api) {
                return api;
            }
            if (t instanceof OptimisticLockException || t instanceof StaleStateException) {
                return ApiException.conflict("The resource was changed by another request.",
                        "Re-read the resource and apply your change to its current version.");
            }
            if (t instanceof SQLException sql) {
                ApiException mapped = classifySql(sql);
                if (mapped != null) {
                    return mapped;
                }
            }
        }
        return null;
    }

    private static ApiException classifySql(SQLException sql) {
        String state = sql.getSQLState() == null ? "" : sql.getSQLState();
        if ("23505".equals(state)) {
            return ApiException.conflict("A resource with the same unique value already exists.",
                    "Choose another name or update the existing resource.");
        }
        String message = sql.getMessage() == null ? "" : sql.getMessage().toLowerCase(Locale.ROOT);
        boolean unreachable = state.startsWith("08") // connection exceptions
                || state.startsWith("57P") // admin shutdown, crash shutdown, cannot connect now
                || sql instanceof SQLTransientConnectionException
                || message.contains("acquisition timeout"); // Agroal: no connection within the timeout
        return unreachable
                ? ApiException.unavailable("The database is unavailable.", DATABASE_RETRY_AFTER)
                : null;
    }
}
