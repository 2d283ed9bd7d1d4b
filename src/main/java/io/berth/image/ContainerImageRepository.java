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
import io.berth.security.Caller;

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

    @Override
    public long count(Caller caller, Class<? extends TenantOwnedEntity> target, UUID id) {
        if (target == Environment.class) {
            return countWhere(caller, "environmentId", id);
        }
        if (target == RegistryConnection.class) {
            return countWhere(caller, "registryConnectionId", id);
        }
        return 0;
    }

    private long countWhere(Caller caller, String field, UUID id) {
        return em.createQuery("select count(*) from ContainerImage where companyId = ?1 and " + field + " = ?2", Long.class)
                .setParameter(1, caller.companyId()).setParameter(2, id).getSingleResult();
    }

    /** Newest first. The image must already be the caller's (found through {@link #find}). */
    public List<Discovery> history(ContainerImage image) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select tag, digest, discovered_at from container_image_digests"
                + " where image_id = ?1 order by discovered_at desc, id desc limit " + HISTORY_SIZE)
                .setParameter(1, image.id).getResultList();
        return rows.stream().map(r -> new Discovery((String) r[0], (String) r[1], timestamp(r[2]))).toList();
    }

    public void recordDiscovery(ContainerImage image, String tag, String digest, OffsetDateTime at) {
        em.createNativeQuery("insert into container_image_digests (image_id, tag, digest, discovered_at) values (?1, ?2, ?3, ?4)")
                .setParameter(1, image.id).setParameter(2, tag).setParameter(3, digest).setParameter(4, at).executeUpdate();
        em.createNativeQuery("delete from container_image_digests where image_id = ?1 and id not in (select id from"
                + " container_image_digests where image_id = ?1 order by discovered_at desc, id desc limit " + HISTORY_SIZE + ")")
                .setParameter(1, image.id).executeUpdate();
    }
}
