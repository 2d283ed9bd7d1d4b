package io.berth.image;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.berth.connection.RegistryConnection;
import io.berth.environment.Environment;
import io.berth.persistence.ReferenceCounter;
import io.berth.persistence.TenantOwnedEntity;
import io.berth.persistence.TenantScopedRepository;

/** The current company's container images and their discovery history. */
@ApplicationScoped
public class ContainerImageRepository extends TenantScopedRepository<ContainerImage> implements ReferenceCounter {

    /** Discoveries kept per image. */
    static final int HISTORY_SIZE = 20;

    public ContainerImageRepository() {
        super(ContainerImage.class);
    }

    /** One entry of the discovery history. */
    public record Discovery(String tag, String digest, OffsetDateTime discoveredAt) {
    }

    @Override
    public String label() {
        return "container images";
    }

    /** Images of the current company in the environment, or using the registry connection, with this id. */
    @Override
    public long countReferencing(Class<? extends TenantOwnedEntity> target, UUID id) {
        if (target == Environment.class) {
            return count("environmentId", id);
        }
        if (target == RegistryConnection.class) {
            return count("registryConnectionId", id);
        }
        return 0;
    }

    /**
     * The last {@value #HISTORY_SIZE} discoveries, newest first. Native SQL on the child table, so
     * not filtered by company: the image must have been found through this repository.
     */
    public List<Discovery> history(ContainerImage image) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = getEntityManager().createNativeQuery("select tag, digest, discovered_at from container_image_digests"
                + " where image_id = ?1 order by discovered_at desc, id desc limit " + HISTORY_SIZE)
                .setParameter(1, image.id).getResultList();
        return rows.stream().map(r -> new Discovery((String) r[0], (String) r[1], timestamp(r[2]))).toList();
    }

    /** When discovery first recorded {@code tag} as the image's best tag, if it still has that entry. */
    public java.util.Optional<OffsetDateTime> firstSeen(ContainerImage image, String tag) {
        @SuppressWarnings("unchecked")
        List<Object> rows = getEntityManager().createNativeQuery("select min(discovered_at) from container_image_digests"
                + " where image_id = ?1 and tag = ?2").setParameter(1, image.id).setParameter(2, tag).getResultList();
        return rows.isEmpty() || rows.get(0) == null ? java.util.Optional.empty() : java.util.Optional.of(timestamp(rows.get(0)));
    }

    /**
     * Adds a discovery (tag, digest {@code sha256:...}, when) to the image's history and drops all but
     * the newest {@value #HISTORY_SIZE}. The image must have been found or persisted through this repository.
     */
    public void recordDiscovery(ContainerImage image, String tag, String digest, OffsetDateTime at) {
        getEntityManager().createNativeQuery("insert into container_image_digests (image_id, tag, digest, discovered_at) values (?1, ?2, ?3, ?4)")
                .setParameter(1, image.id).setParameter(2, tag).setParameter(3, digest).setParameter(4, at).executeUpdate();
        getEntityManager().createNativeQuery("delete from container_image_digests where image_id = ?1 and id not in (select id from"
                + " container_image_digests where image_id = ?1 order by discovered_at desc, id desc limit " + HISTORY_SIZE + ")")
                .setParameter(1, image.id).executeUpdate();
    }
}
