package io.berth.update;

import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import io.berth.api.ApiException;
import io.berth.image.ContainerImageService;
import io.berth.persistence.Tenancy;
import io.berth.security.Caller;
import io.berth.security.Role;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;

/**
 * Runs check-updates for container images with {@code autoUpdate}, each at its registry
 * connection's {@code refreshIntervalMinutes} (berth.auto-update.default-interval-minutes without
 * a connection). It keeps bestTag, latestDigest and updateAvailable current; it does not change
 * what applications run. With several replicas an image may occasionally be checked twice; that
 * costs a registry request, nothing else. Which images are due is one native query across companies
 * (as the system, see {@link Tenancy}); each check then runs as its image's company.
 */
@ApplicationScoped
public class AutoUpdater {

    /** Who the history and modifiedBy show for checks made by the platform itself. */
    public static final String SUBJECT = "berth-auto-update";

    private final EntityManager em;
    private final ContainerImageService images;
    private final AutoUpdateConfig config;
    private final Tenancy tenancy;

    public AutoUpdater(EntityManager em, ContainerImageService images, AutoUpdateConfig config, Tenancy tenancy) {
        this.em = em;
        this.images = images;
        this.config = config;
        this.tenancy = tenancy;
    }

    @Scheduled(every = "60s", delayed = "30s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        if (config.enabled()) {
            runDue();
        }
    }

    /** Checks the images that are due now; answers how many were checked. */
    public int runDue() {
        int checked = 0;
        for (Object[] row : tenancy.callAsSystem(this::due)) {
            UUID id = (UUID) row[0];
            UUID company = (UUID) row[1];
            Caller platform = new Caller(company, SUBJECT, Role.ADMIN, Set.of());
            try {
                tenancy.runAs(company, () -> images.checkUpdates(platform, id));
            } catch (ApiException e) {
                Log.debugf("Auto-update check of container image %s: %s", id, e.getMessage()); // stored in lastCheckError
            } catch (RuntimeException e) {
                Log.warnf("Auto-update check of container image %s failed: %s", id, e.getMessage());
            }
            checked++;
        }
        return checked;
    }

    /**
     * A system query across companies, hence native SQL (entity queries see one company): only ids
     * and their company, oldest check first.
     */
    @SuppressWarnings("unchecked")
    @Transactional(Transactional.TxType.SUPPORTS)
    List<Object[]> due() {
        return em.createNativeQuery("select i.id, i.company_id from container_images i"
                + " left join registry_connections c on c.id = i.registry_connection_id"
                + " where i.auto_update and (i.last_checked_at is null or i.last_checked_at"
                + " < now() - make_interval(mins => coalesce(c.refresh_interval_minutes, ?1)))"
                + " order by i.last_checked_at nulls first limit ?2")
                .setParameter(1, config.defaultIntervalMinutes()).setParameter(2, config.batchSize())
                .getResultList();
    }
}
