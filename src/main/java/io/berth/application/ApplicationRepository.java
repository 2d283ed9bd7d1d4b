package io.berth.application;

import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.api.Page;
import io.berth.api.PageRequest;
import io.berth.application.ApplicationDtos.Snapshot;
import io.berth.application.ApplicationDtos.VersionView;
import io.berth.connection.RegistryConnection;
import io.berth.environment.Environment;
import io.berth.image.ContainerImage;
import io.berth.image.RunningDigests;
import io.berth.persistence.ReferenceCounter;
import io.berth.persistence.TenantOwnedEntity;
import io.berth.persistence.TenantScopedRepository;

/** Applications (live ones unless said otherwise) and their version history. */
@ApplicationScoped
public class ApplicationRepository extends TenantScopedRepository<Application> implements ReferenceCounter, RunningDigests {

    private final ObjectMapper mapper = new ObjectMapper();

    public ApplicationRepository() {
        super(Application.class);
    }

    /** The company's live (not deleted) application with this id in this environment, if any. */
    public Optional<Application> findLive(UUID environmentId, UUID id) {
        return findByIdOptional(id).filter(a -> !a.deleted && a.environmentId.equals(environmentId));
    }

    /** A page of the company's live applications, of one environment or (null) of all, oldest first. */
    public Page<Application> live(UUID environmentId, PageRequest page) {
        return environmentId == null ? page(page, "deleted = false", CREATION_ORDER)
                : page(page, "deleted = false and environmentId = ?1", CREATION_ORDER, environmentId);
    }

    /** Whether another live application (not {@code except}, which may be null) of the environment has this name. */
    public boolean nameTaken(UUID environmentId, String name, UUID except) {
        return except == null
                ? exists("deleted = false and environmentId = ?1 and name = ?2", environmentId, name)
                : exists("deleted = false and environmentId = ?1 and name = ?2 and id <> ?3", environmentId, name, except);
    }

    /**
     * Hostnames are unique across the platform, deleted applications included: deliberately native
     * SQL, which sees every company's rows (it answers only whether the name is used).
     */
    public boolean hostnameTaken(String hostname) {
        return !getEntityManager().createNativeQuery("select 1 from applications where hostname = ?1").setParameter(1, hostname)
                .getResultList().isEmpty();
    }

    @Override
    public String label() {
        return "applications";
    }

    /** Live applications of the current company in the environment, or using the connection or image, with this id. */
    @Override
    public long countReferencing(Class<? extends TenantOwnedEntity> target, UUID id) {
        String field = target == Environment.class ? "environmentId"
                : target == RegistryConnection.class ? "registryConnectionId"
                : target == ContainerImage.class ? "containerImageId" : null;
        if (field == null) {
            return 0;
        }
        return count("deleted = false and " + field + " = ?1", id);
    }

    /** The digests the environment's live applications run of repository {@code imageRef} (registry/repository). */
    @Override
    public Set<String> running(UUID environmentId, String imageRef) {
        return new HashSet<>(getEntityManager().createQuery("select distinct imageDigest from Application"
                + " where environmentId = ?1 and imageRef = ?2 and deleted = false", String.class)
                .setParameter(1, environmentId).setParameter(2, imageRef).getResultList());
    }

    /** Increments the version now although no column changed. */
    public void forceNewVersion(Application app) {
        getEntityManager().lock(app, jakarta.persistence.LockModeType.PESSIMISTIC_FORCE_INCREMENT);
    }

    /**
     * Writes the application's current state as version {@code app.version} of its history (native
     * SQL on the child table: the application must have been found or persisted through this repository).
     *
     * @param changedBy the subject who made the change
     * @param changes   what changed, e.g. ["created"] or ["name", "resources"]
     */
    public void recordVersion(Application app, String changedBy, OffsetDateTime at, List<String> changes) {
        getEntityManager().createNativeQuery("insert into application_versions (application_id, version, changed_by, changed_at, changes,"
                + " snapshot) values (?1, ?2, ?3, ?4, cast(?5 as jsonb), cast(?6 as jsonb))")
                .setParameter(1, app.id).setParameter(2, app.version).setParameter(3, changedBy).setParameter(4, at)
                .setParameter(5, json(changes)).setParameter(6, json(Snapshot.of(app))).executeUpdate();
    }

    /** A page of the application's history, newest first. The application must have been found through this repository. */
    public Page<VersionView> versions(Application app, PageRequest page) {
        long total = ((Number) getEntityManager().createNativeQuery("select count(*) from application_versions where application_id = ?1")
                .setParameter(1, app.id).getSingleResult()).longValue();
        @SuppressWarnings("unchecked")
        List<Object[]> rows = getEntityManager().createNativeQuery("select version, changed_by, changed_at, changes::text, snapshot::text"
                + " from application_versions where application_id = ?1 order by version desc")
                .setParameter(1, app.id).setFirstResult(page.offset()).setMaxResults(Math.max(page.limit(), 1))
                .getResultList();
        List<VersionView> items = page.limit() == 0 ? List.of() : rows.stream().map(this::version).toList();
        return new Page<>(items, total, page.limit(), page.offset());
    }

    /** Version {@code version} of the application's history, if it exists. The application must have been found through this repository. */
    public Optional<VersionView> version(Application app, long version) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = getEntityManager().createNativeQuery("select version, changed_by, changed_at, changes::text, snapshot::text"
                + " from application_versions where application_id = ?1 and version = ?2")
                .setParameter(1, app.id).setParameter(2, version).getResultList();
        return rows.stream().findFirst().map(this::version);
    }

    private VersionView version(Object[] row) {
        try {
            List<String> changes = List.of(mapper.readValue((String) row[3], String[].class));
            return new VersionView(((Number) row[0]).longValue(), (String) row[1], timestamp(row[2]), changes,
                    mapper.readValue((String) row[4], Snapshot.class));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Unreadable application version", e);
        }
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
