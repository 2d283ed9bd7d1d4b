package io.berth.testsupport;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.hibernate.SessionEventListener;
import org.hibernate.resource.jdbc.spi.StatementInspector;
import org.jboss.logging.MDC;

/**
 * What Hibernate does for one HTTP request, attributed by the request id in the MDC (the worker
 * thread of a request carries it, scheduler threads do not): sessions opened, pooled connections
 * acquired, JTA transactions completed, statements prepared and their SQL. Registered by
 * {@link Profile} as Hibernate's automatic session listener and statement inspector, so requests
 * are counted exactly while background jobs run beside them.
 */
public class StatementCounter implements SessionEventListener, StatementInspector {

    /** What one request cost. */
    public static final class Counts {
        public volatile int sessions;
        public volatile int connections;
        public volatile int transactions;
        public volatile int statements;
        public final List<String> sql = new CopyOnWriteArrayList<>();

        @Override
        public String toString() {
            return "statements=" + statements + " transactions=" + transactions + " connections=" + connections
                    + " sessions=" + sessions + " sql=" + sql;
        }
    }

    private static final Map<String, Counts> BY_REQUEST = new ConcurrentHashMap<>();

    /** The counts of the request with this X-Request-Id (zeros when it touched no database). */
    public static Counts of(String requestId) {
        return BY_REQUEST.computeIfAbsent(requestId, id -> new Counts());
    }

    private static Counts current() {
        Object id = MDC.get("requestId");
        return id == null ? null : of(id.toString());
    }

    /** Hibernate makes one listener per session, with a no-argument constructor, on the opening thread. */
    public StatementCounter() {
        Counts counts = current();
        if (counts != null) {
            counts.sessions++;
        }
    }

    @Override
    public void jdbcConnectionAcquisitionStart() {
        Counts counts = current();
        if (counts != null) {
            counts.connections++;
        }
    }

    @Override
    public void transactionCompletion(boolean successful) {
        Counts counts = current();
        if (counts != null) {
            counts.transactions++;
        }
    }

    @Override
    public void jdbcPrepareStatementStart() {
        Counts counts = current();
        if (counts != null) {
            counts.statements++;
        }
    }

    @Override
    public String inspect(String sql) {
        Counts counts = current();
        if (counts != null) {
            counts.sql.add(sql);
        }
        return sql;
    }

    /** Registers the counter with Hibernate (build-time settings, hence a profile of its own). */
    public static class Profile implements io.quarkus.test.junit.QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "quarkus.hibernate-orm.unsupported-properties.\"hibernate.session.events.auto\"",
                    StatementCounter.class.getName(),
                    "quarkus.hibernate-orm.unsupported-properties.\"hibernate.session_factory.statement_inspector\"",
                    StatementCounter.class.getName());
        }
    }
}
