package io.berth.persistence;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;

import io.berth.api.ApiException;
import io.berth.api.Page;
import io.berth.api.PageRequest;
import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;

/**
 * Base of the resource repositories: a Panache repository whose every entry point ({@code findById},
 * {@code find}, {@code list}, {@code stream}, {@code count}, {@code update}, {@code delete},
 * {@code deleteById}, {@code persist}) sees and changes only the current company's rows, because
 * Hibernate's discriminator multitenancy ({@link TenantOwnedEntity}'s {@code @TenantId}) filters
 * them in the ORM, for the tenant the session was opened with ({@link CompanyTenantResolver}). No
 * method takes a company: there is none to get wrong. {@code TenantIsolationTest} tries each entry
 * point against another company's rows. Only native SQL ({@code getEntityManager().createNativeQuery})
 * is not filtered: subclasses use it for child tables keyed by a row found here, and for the few
 * deliberately global checks, each saying so.
 * <p>
 * Repositories rather than Panache entities: the entities keep their plain mapping, and the
 * queries a feature needs stay together in one injectable, replaceable class per feature.
 *
 * @param <E> the entity, with a UUID primary key
 */
public abstract class TenantScopedRepository<E extends TenantOwnedEntity> implements PanacheRepositoryBase<E, UUID> {

    /** The API's list order: oldest first, ids breaking ties. */
    public static final Sort CREATION_ORDER = Sort.by("createdAt").and("id");

    @Inject
    References references;

    private final Class<E> type;

    protected TenantScopedRepository(Class<E> type) {
        this.type = type;
    }

    /**
     * The company's row {@code id}, locked for the rest of the transaction (JPA
     * {@code PESSIMISTIC_WRITE}; Hibernate asks PostgreSQL for {@code FOR NO KEY UPDATE}, which
     * foreign keys to the row do not wait for): concurrent writers of one row take turns, so a
     * write without If-Match is applied instead of failing on another's versioned UPDATE (409).
     * Must run in a transaction.
     *
     * @param what the row's kind as the 404 names it ("Environment")
     * @throws ApiException 404 for an unknown id and for another company's row
     */
    public E findByIdForUpdate(UUID id, String what) {
        return findByIdOptional(id, LockModeType.PESSIMISTIC_WRITE)
                .orElseThrow(() -> ApiException.notFound(what + " " + id));
    }

    /**
     * One page of the company's rows matching {@code condition}.
     *
     * @param condition a Panache query without {@code from}/{@code where} (e.g. {@code "environmentId = ?1"}),
     *                  or null for all rows; {@code params} bind ?1, ?2, ...
     * @return the rows at {@code request.offset()}, at most {@code request.limit()} (none when 0), and the total
     */
    public Page<E> page(PageRequest request, String condition, Sort sort, Object... params) {
        PanacheQuery<E> query = condition == null ? findAll(sort) : find(condition, sort, params);
        long total = query.count();
        List<E> items = request.limit() == 0 ? List.of()
                : query.range(request.offset(), request.offset() + request.limit() - 1).list();
        return new Page<>(items, total, request.limit(), request.offset());
    }

    /** Whether any of the company's rows matches {@code condition} (a Panache query, params ?1, ?2, ...). */
    public boolean exists(String condition, Object... params) {
        return count(condition, params) > 0;
    }

    /**
     * Deletes the row and flushes, unless other rows still reference it.
     *
     * @param what the resource's name in the error ("environment")
     * @throws ApiException 409 CONFLICT naming the rows that still use it
     */
    public void deleteUnreferenced(E entity, String what) {
        references.requireUnreferenced(type, entity.id, what);
        delete(entity);
        flush();
    }

    /** Whether another of the company's rows (not {@code except}, which may be null) has this name, ignoring case. */
    public boolean nameTaken(String name, UUID except) {
        return except == null
                ? exists("lower(name) = lower(?1)", name)
                : exists("lower(name) = lower(?1) and id <> ?2", name, except);
    }

    /** A timestamptz read by a native query, whichever type the driver chose for it. */
    protected static OffsetDateTime timestamp(Object value) {
        if (value instanceof OffsetDateTime odt) {
            return odt;
        }
        if (value instanceof Instant instant) {
            return instant.atOffset(ZoneOffset.UTC);
        }
        return ((java.sql.Timestamp) value).toInstant().atOffset(ZoneOffset.UTC);
    }
}
