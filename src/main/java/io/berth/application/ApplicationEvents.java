package io.berth.application;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.berth.application.ApplicationDtos.ApplicationView;
import io.berth.application.ApplicationDtos.Snapshot;
import io.berth.event.EventType;
import io.berth.event.Events;

/**
 * The change event of each new application version, written beside its history entry (same
 * transaction): created, deleted, restored, image.updated when the repository, tag or digest
 * changed (with fromTag/toTag/fromDigest/toDigest, fromImage/toImage when the repository did),
 * else updated.
 */
@ApplicationScoped
class ApplicationEvents {

    private final Events events;

    ApplicationEvents(Events events) {
        this.events = events;
    }

    /**
     * @param before  the application before the change; null for a creation
     * @param changes the history entry's changes
     */
    void changed(Application app, Snapshot before, String changedBy, List<String> changes) {
        Map<String, Object> extra = new LinkedHashMap<>();
        boolean imageChanged = before != null && (!before.imageName().equals(app.imageName)
                || !before.imageTag().equals(app.imageTag) || !before.imageDigest().equals(app.imageDigest));
        if (imageChanged) {
            if (!before.imageName().equals(app.imageName)) {
                extra.put("fromImage", before.imageName());
                extra.put("toImage", app.imageName);
            }
            extra.put("fromTag", before.imageTag());
            extra.put("toTag", app.imageTag);
            extra.put("fromDigest", before.imageDigest());
            extra.put("toDigest", app.imageDigest);
        }
        EventType type = before == null ? EventType.APPLICATION_CREATED
                : app.deleted ? EventType.APPLICATION_DELETED
                : changes.stream().anyMatch(c -> c.startsWith("restored")) ? EventType.APPLICATION_RESTORED
                : imageChanged ? EventType.APPLICATION_IMAGE_UPDATED
                : EventType.APPLICATION_UPDATED;
        events.record(app.companyId(), app.environmentId, type, app.id, ApplicationView.of(app), changedBy, extra);
    }
}
