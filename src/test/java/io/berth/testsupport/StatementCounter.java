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

    /** Applies {@code change} to the counts of the request this thread serves, if it serves one. */
    private static void count(java.util.function.Consumer<Counts> change) {
        Object id = MDC.get("requestId");
        if (id != null) {
            change.accept(of(id.toString()));
        }
    }

    /** Hibernate makes one listener per session, with a no-argument constructor, on the opening thread. */
    public StatementCounter() {
        count(c -> c.sessions++);
    }

    @Override
    public void jdbcConnectionAcquisitionStart() {
        count(c -> c.connections++);
    }

    @Override
    public void transactionCompletion(boolean successful) {
        count(c -> c.transactions++);
    }

    @Override
    public void jdbcPrepareStatementStart() {
        count(c -> c.statements++);
    }

    @Override
    public String inspect(String sql) {
        count(c -> c.sql.add(sql));
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
