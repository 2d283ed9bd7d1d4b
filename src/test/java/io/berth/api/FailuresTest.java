package io.berth.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;

import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;

/** Which driver failures are the database being away (503) and which are bugs (500). */
class FailuresTest {

    @Test
    void anInterruptedConnectionAttemptIsTheDatabaseBeingAway() {
        // pgjdbc's Driver.connect with loginTimeout: an interrupt while waiting for the login becomes
        // a RuntimeException, which Driver wraps as UNEXPECTED_ERROR (99999). Seen in CI while the
        // network to PostgreSQL dropped packets.
        SQLException connect = new PSQLException("Something unusual has occurred to cause the driver to fail.",
                PSQLState.UNEXPECTED_ERROR, new RuntimeException("Interrupted while attempting to connect."));
        assertUnavailable(new RuntimeException("Unable to acquire JDBC Connection", connect));
    }

    @Test
    void anUnexpectedDriverErrorCausedByTheNetworkIsTheDatabaseBeingAway() {
        SQLException io = new PSQLException("Something unusual has occurred to cause the driver to fail.",
                PSQLState.UNEXPECTED_ERROR, new SocketTimeoutException("Read timed out"));
        assertUnavailable(io);
    }

    @Test
    void anUnexpectedDriverErrorWithoutANetworkCauseStaysABug() {
        assertNull(Failures.classify(new PSQLException("Something unusual has occurred to cause the driver to fail.",
                PSQLState.UNEXPECTED_ERROR, new IllegalStateException("a bug"))));
        assertNull(Failures.classify(new SQLException("syntax error", "42601")));
    }

    @Test
    void connectionExceptionsAndServerSideTimeoutsAreTheDatabaseBeingAway() {
        for (String state : new String[] {"08006", "08001", "57P01", "57014", "25P03", "53300"}) {
            assertUnavailable(new SQLException("x", state, new IOException("x")));
        }
    }

    private static void assertUnavailable(Throwable failure) {
        ApiException answer = Failures.classify(failure);
        assertEquals(ErrorCode.SERVICE_UNAVAILABLE, answer == null ? null : answer.code(), String.valueOf(failure));
        assertEquals("5", answer.headers().get("Retry-After"));
    }
}
