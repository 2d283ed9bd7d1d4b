package io.berth.update;

import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.berth.api.Page;
import io.berth.api.PageRequest;
import io.berth.persistence.TenantScopedRepository;
import io.berth.update.PendingUpdate.Status;
import io.quarkus.panache.common.Sort;

/** The current company's pending updates (every status). */
@ApplicationScoped
public class PendingUpdateRepository extends TenantScopedRepository<PendingUpdate> {

    /** Newest first, ids breaking ties. */
    static final Sort NEWEST_FIRST = Sort.descending("createdAt").and("id", Sort.Direction.Descending);

    public PendingUpdateRepository() {
        super(PendingUpdate.class);
    }

    /** The pending update with this id in this environment, if any. */
    public Optional<PendingUpdate> findIn(UUID environmentId, UUID id) {
        return findByIdOptional(id).filter(p -> p.environmentId.equals(environmentId));
    }

    /** The application's one update still waiting for a decision, if any. */
    public Optional<PendingUpdate> pendingFor(UUID applicationId) {
        return find("applicationId = ?1 and status = ?2", applicationId, Status.PENDING).firstResultOptional();
    }

    /** The rejection of candidate {@code digest} for the application, if a person rejected it (the latest). */
    public Optional<PendingUpdate> rejection(UUID applicationId, String digest) {
        return find("applicationId = ?1 and toDigest = ?2 and status = ?3", NEWEST_FIRST, applicationId, digest,
                Status.REJECTED).firstResultOptional();
    }

    /** A page of the environment's pending updates with {@code status} (null: every status), newest first. */
    public Page<PendingUpdate> list(UUID environmentId, Status status, PageRequest page) {
        return status == null ? page(page, "environmentId = ?1", NEWEST_FIRST, environmentId)
                : page(page, "environmentId = ?1 and status = ?2", NEWEST_FIRST, environmentId, status);
    }
}
