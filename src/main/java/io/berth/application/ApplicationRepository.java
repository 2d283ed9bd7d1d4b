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
import io.berth.security.Caller;

/** Applications (live ones unless said otherwise) and their version history. */
@ApplicationScoped
public class ApplicationRepository extends TenantScopedRepository<Application> implements ReferenceCounter, RunningDigests {

    private final ObjectMapper mapper = new ObjectMapper();

    public ApplicationRepository() {
        super(Application.class);
    }

    public Optional<Application> findLive(Caller caller, UUID environmentId, UUID id) {
        return find(caller, id).filter(a -> !a.deleted && a.environmentId.equals(environmentId));
    }

    public Page<Application> live(Caller caller, UUID environmentId, PageRequest page) {
        return environmentId == null ? page(caller, page, "deleted = false", "createdAt, id")
                : page(caller, page, "deleted = false and environmentId = ?2", "createdAt, id", environmentId);
    }

    public boolean nameTaken(Caller caller, UUID environmentId, String name, UUID except) {
        return except == null
                ? exists(caller, "deleted = false and environmentId = ?2 and name = ?3", environmentId, name)
                : exists(caller, "deleted = false and environmentId = ?2 and name = ?3 and id <> ?4", environmentId, name, except);
    }

    /** Hostnames are unique across the platform, deleted applications included. */
    public boolean hostnameTaken(String hostname) {
        return !em.createNativeQuery("select 1 from applications where hostname = ?1").setParameter(1, hostname)
                .getResultList().isEmpty();
    }

    @Override
    public String label() {
        return "applications";
    }

    @Override
    public long count(Caller caller, Class<? extends TenantOwnedEntity> target, UUID id) {
        String field = target == Environment.class ? "environmentId"
                : target == RegistryConnection.class ? "containerRegistryId"
                : target == ContainerImage.class ? "containerImageId" : null;
        if (field == null) {
            return 0;
        }
        return em.createQuery("select count(*) from Application where companyId = ?1 and deleted = false and " + field
                + " = ?2", Long.class).setParameter(1, caller.companyId()).setParameter(2, id).getSingleResult();
    }

    @Override
    public Set<String> running(UUID companyId, UUID environmentId, String imageRef) {
        return new HashSet<>(em.createQuery("select distinct imageDigest from Application where companyId = ?1"
                + " and environmentId = ?2 and imageRef = ?3 and deleted = false", String.class)
                .setParameter(1, companyId).setParameter(2, environmentId).setParameter(3, imageRef).getResultList());
    }

    /** Increments the version now although no column changed. */
    public void forceNewVersion(Application app) {
        em.lock(app, jakarta.persistence.LockModeType.PESSIMISTIC_FORCE_INCREMENT);
    }

    public void recordVersion(Application app, String changedBy, OffsetDateTime at, List<String> changes) {
        em.createNativeQuery("insert into application_versions (application_id, version, changed_by, changed_at, changes,"
                + " snapshot) values (?1, ?2, ?3, ?4, cast(?5 as jsonb), cast(?6 as jsonb))")
                .setParameter(1, app.id).setParameter(2, app.version).setParameter(3, changedBy).setParameter(4, at)
                .setParameter(5, json(changes)).setParameter(6, json(Snapshot.of(app))).executeUpdate();
    }

    /** Newest first. The application must already be the caller's. */
    public Page<VersionView> versions(Application app, PageRequest page) {
        long total = ((Number) em.createNativeQuery("select count(*) from application_versions where application_id = ?1")
                .setParameter(1, app.id).getSingleResult()).longValue();
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select version, changed_by, changed_at, changes::text, snapshot::text"
                + " from application_versions where application_id = ?1 order by version desc")
                .setParameter(1, app.id).setFirstResult(page.offset()).setMaxResults(Math.max(page.limit(), 1))
                .getResultList();
        List<VersionView> items = page.limit() == 0 ? List.of() : rows.stream().map(this::version).toList();
        return new Page<>(items, total, page.limit(), page.offset());
    }

    public Optional<VersionView> version(Application app, long version) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select version, changed_by, changed_at, changes::text, snapshot::text"
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
