package io.berth.persistence;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import io.berth.api.Page;
import io.berth.api.PageRequest;
import io.berth.security.Caller;

/**
 * The only way services reach resource rows: every lookup takes the caller and filters by their
 * company, so another company's rows cannot be found, listed, changed or deleted by mistake.
 * Deliberately not a Panache repository, whose unscoped {@code findById} would be one call away.
 */
public abstract class TenantScopedRepository<E extends TenantOwnedEntity> {

    @Inject
    protected EntityManager em;
    @Inject
    References references;

    private final Class<E> type;

    protected TenantScopedRepository(Class<E> type) {
        this.type = type;
    }

    public Optional<E> find(Caller caller, UUID id) {
        // By primary key (no query to plan), then the tenant check: another company's row is absent.
        return Optional.ofNullable(em.find(type, id)).filter(e -> caller.companyId().equals(e.companyId));
    }

    /** A page of the caller's rows matching {@code condition} (JPQL on alias-free fields, ?1 = company). */
    public Page<E> page(Caller caller, PageRequest request, String condition, String orderBy, Object... params) {
        String where = "where companyId = ?1" + (condition == null ? "" : " and " + condition);
        Object[] all = prepend(caller.companyId(), params);
        long total = count(where, all);
        List<E> items = request.limit() == 0 ? List.of()
                : bind(em.createQuery("from " + type.getSimpleName() + " " + where + " order by " + orderBy, type), all)
                        .setFirstResult(request.offset())
                        .setMaxResults(request.limit())
                        .getResultList();
        return new Page<>(items, total, request.limit(), request.offset());
    }

    public boolean exists(Caller caller, String condition, Object... params) {
        return count("where companyId = ?1 and " + condition, prepend(caller.companyId(), params)) > 0;
    }

    public E persist(E entity) {
        em.persist(entity);
        return entity;
    }

    public void delete(E entity) {
        em.remove(entity);
    }

    /** Deletes the row unless other rows still reference it (409 CONFLICT naming them). */
    public void deleteUnreferenced(Caller caller, E entity, String what) {
        references.requireUnreferenced(caller, type, entity.id, what);
        em.remove(entity);
        em.flush();
    }

    /** Whether another of the caller's rows already has this name, ignoring case. */
    public boolean nameTaken(Caller caller, String name, UUID except) {
        return except == null
                ? exists(caller, "lower(name) = lower(?2)", name)
                : exists(caller, "lower(name) = lower(?2) and id <> ?3", name, except);
    }

    /** Writes pending changes now so constraint and version conflicts surface inside the service. */
    public void flush() {
        em.flush();
    }

    /** A timestamptz read by a native query, whichever type the driver chose for it. */
    protected static java.time.OffsetDateTime timestamp(Object value) {
        if (value instanceof java.time.OffsetDateTime odt) {
            return odt;
        }
        if (value instanceof java.time.Instant instant) {
            return instant.atOffset(java.time.ZoneOffset.UTC);
        }
        return ((java.sql.Timestamp) value).toInstant().atOffset(java.time.ZoneOffset.UTC);
    }

    private long count(String where, Object[] params) {
        return bind(em.createQuery("select count(*) from " + type.getSimpleName() + " " + where, Long.class), params)
                .getSingleResult();
    }

    private static <Q extends jakarta.persistence.TypedQuery<?>> Q bind(Q query, Object[] params) {
        for (int i = 0; i < params.length; i++) {
            query.setParameter(i + 1, params[i]);
        }
        return query;
    }

    private static Object[] prepend(Object first, Object[] rest) {
        Object[] all = new Object[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }
}
