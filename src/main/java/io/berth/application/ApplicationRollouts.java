package io.berth.application;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.berth.application.ApplicationDtos.Snapshot;
import io.berth.image.ContainerImageService;
import io.berth.persistence.DbTime;

/**
 * What auto-update may do to applications: find those linked to a tracked image, and move one to
 * another tag and digest of the repository it already runs (on its own, or when a person approves
 * a pending update). The decision (which candidate, which
 * rules) is the engine's; the version check and the history entry are here.
 */
@ApplicationScoped
public class ApplicationRollouts {

    private final ApplicationRepository applications;
    private final ContainerImageService images;
    private final ApplicationEvents events;

    public ApplicationRollouts(ApplicationRepository applications, ContainerImageService images, ApplicationEvents events) {
        this.applications = applications;
        this.images = images;
        this.events = events;
    }

    /** The live applications of the environment linked to container image {@code containerImageId}, oldest first. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<Application> linkedTo(UUID environmentId, UUID containerImageId) {
        return applications.list("environmentId = ?1 and containerImageId = ?2 and deleted = false order by createdAt, id",
                environmentId, containerImageId);
    }

    /** The live application of the environment with this id, if any (an approval checks what it runs now). */
    @Transactional(Transactional.TxType.SUPPORTS)
    public java.util.Optional<Application> live(UUID environmentId, UUID id) {
        return applications.findLive(environmentId, id);
    }

    /**
     * Moves an application to another tag and digest of the repository it runs, as auto-update
     * decided (or a person approved), in its own transaction or the caller's: a new version whose history names {@code source.image.tag}
     * and/or {@code source.image.digest}, changed by {@code changedBy}.
     *
     * @return false, changing nothing, when the application is gone or is no longer at version
     *         {@code expectedVersion}: a concurrent user change wins, the engine decides again next round
     */
    @Transactional
    public boolean rollForward(UUID environmentId, UUID id, long expectedVersion, String tag, String digest,
            String changedBy) {
        Application app = applications.findLive(environmentId, id).orElse(null);
        if (app == null || app.version != expectedVersion) {
            return false;
        }
        List<String> changes = new java.util.ArrayList<>();
        if (!tag.equals(app.imageTag)) {
            changes.add("source.image.tag");
        }
        if (!digest.equals(app.imageDigest)) {
            changes.add("source.image.digest");
        }
        if (changes.isEmpty()) {
            return false;
        }
        Snapshot before = Snapshot.of(app);
        app.imageTag = tag;
        app.imageDigest = digest;
        app.touchBy(changedBy);
        applications.flush();
        applications.recordVersion(app, changedBy, DbTime.now(), changes);
        events.changed(app, before, changedBy, changes);
        images.refreshUpdateAvailable(environmentId, app.imageRef);
        return true;
    }
}
