package io.berth.image;

import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.berth.api.ApiException;
import io.berth.connection.RegistryAccess;
import io.berth.persistence.DbTime;
import io.berth.registry.ImageReference;
import io.berth.registry.RegistryAuth;
import io.berth.security.Caller;

/**
 * check-updates as the auto-update engine drives it, in steps: discover (registry only, outside
 * any transaction), store what was found, record the rollout round. The rules of what is stored
 * stay in {@link ContainerImageService}.
 */
@ApplicationScoped
public class ContainerImageChecks {

    private final ContainerImageService service;
    private final ContainerImageRepository images;
    private final RegistryAccess access;
    private final ImageDiscovery discovery;

    public ContainerImageChecks(ContainerImageService service, ContainerImageRepository images, RegistryAccess access,
            ImageDiscovery discovery) {
        this.service = service;
        this.images = images;
        this.access = access;
        this.discovery = discovery;
    }

    /**
     * An image as it was read, and what discovery found for it then (see {@link #check}).
     *
     * @param auth the credentials discovery used, for further registry reads of this repository
     */
    public record Checked(ContainerImage image, ImageReference ref, RegistryAuth auth, CheckOutcome outcome) {
    }

    /**
     * Runs discovery for the image now, talking to the registry only; nothing is stored. A registry
     * failure is in the outcome.
     *
     * @throws ApiException 404; 400 when the image's registry connection no longer fits it
     */
    public Checked check(Caller caller, UUID id) {
        ContainerImage current = service.get(caller, id);
        ImageReference ref = ImageReference.parseName(current.imageRef);
        RegistryAuth auth = access.authFor(caller, current.registryConnectionId, ref, ContainerImageService.CONNECTION);
        return new Checked(current, ref, auth, discovery.discover(ref, TagFilter.parse(current.tagFilter),
                current.updateStrategy, auth));
    }

    /**
     * Stores what {@link #check} found, unless a PATCH changed what to look for meanwhile (it has
     * stored its own discovery then).
     */
    public ContainerImage store(Caller caller, Checked checked) {
        ContainerImage image = checked.image();
        return service.applyCheck(caller, image.id, image.tagFilter, image.registryConnectionId, image.updateStrategy,
                checked.outcome());
    }

    /**
     * Records a rollout round: lastRolloutAt when an application moved, and the candidate waiting
     * for minTagAgeMinutes (all null: none waits).
     */
    @Transactional
    public ContainerImage recordRollout(Caller caller, UUID id, boolean moved, String pendingTag, String pendingDigest,
            OffsetDateTime pendingEligibleAt) {
        ContainerImage image = service.get(caller, id);
        if (moved) {
            image.lastRolloutAt = DbTime.now();
        }
        image.pendingTag = pendingTag;
        image.pendingDigest = pendingDigest;
        image.pendingEligibleAt = pendingEligibleAt;
        images.flush();
        return image;
    }

    /** When discovery first recorded {@code tag} as the image's best tag, if its history still has it. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<OffsetDateTime> firstSeen(ContainerImage image, String tag) {
        return images.firstSeen(image, tag);
    }
}
