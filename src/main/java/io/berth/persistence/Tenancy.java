package io.berth.persistence;

import java.util.UUID;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Status;
import jakarta.transaction.SystemException;
import jakarta.transaction.TransactionManager;

import io.quarkus.arc.Arc;
import io.quarkus.arc.InjectableContext;
import io.quarkus.arc.ManagedContext;

/**
 * Opens units of work for a company outside an HTTP request: system work across companies (the
 * auto-updater, key rotation) enumerates companies {@linkplain #callAsSystem as the system} with a
 * native query (the only SQL not filtered by tenant, and a system session can read no entity), then
 * does each company's work {@linkplain #callAs as that company}. Hibernate fixes a session's tenant
 * when it opens it, so every call runs in a fresh request context (a fresh request-scoped session
 * for reads without a transaction; transactions started inside open their own) and is refused
 * inside a running transaction, whose session already belongs to a tenant.
 */
@ApplicationScoped
public class Tenancy {

    private final CurrentTenant current;
    private final TransactionManager transactions;

    public Tenancy(CurrentTenant current, TransactionManager transactions) {
        this.current = current;
        this.transactions = transactions;
    }

    /**
     * Runs {@code work} with sessions that see only {@code company}'s rows, and answers its result.
     * The caller's own request context (if any) is suspended meanwhile and restored after.
     *
     * @throws IllegalStateException inside a transaction
     */
    public <T> T callAs(UUID company, Supplier<T> work) {
        requireNoTransaction();
        ManagedContext requests = Arc.container().requestContext();
        InjectableContext.ContextState outer = requests.getStateIfActive();
        if (outer != null) {
            requests.deactivate();
        }
        requests.activate();
        try {
            current.set(company);
            return work.get();
        } finally {
            requests.terminate();
            if (outer != null) {
                requests.activate(outer);
            }
        }
    }

    /** {@link #callAs} without a result. */
    public void runAs(UUID company, Runnable work) {
        callAs(company, () -> {
            work.run();
            return null;
        });
    }

    /**
     * Runs {@code work} as the system: its sessions see no company's entities
     * ({@link CurrentTenant#NO_COMPANY}); only native SQL reaches rows, to list which companies
     * have work to do.
     */
    public <T> T callAsSystem(Supplier<T> work) {
        return callAs(CurrentTenant.NO_COMPANY, work);
    }

    private void requireNoTransaction() {
        try {
            if (transactions.getStatus() != Status.STATUS_NO_TRANSACTION) {
                throw new IllegalStateException("A company's unit of work cannot start inside a transaction:"
                        + " its session belongs to the transaction's tenant");
            }
        } catch (SystemException e) {
            throw new IllegalStateException(e);
        }
    }
}
