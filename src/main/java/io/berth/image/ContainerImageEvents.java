package io.berth.image;

import java.util.Map;
import java.util.Objects;

import jakarta.enterprise.context.ApplicationScoped;

import io.berth.event.EventType;
import io.berth.event.Events;
import io.berth.image.ContainerImageDtos.ContainerImageView;

/** The change events of container-image checks, written in the transaction that stores the check. */
@ApplicationScoped
class ContainerImageEvents {

    private final Events events;

    ContainerImageEvents(Events events) {
        this.events = events;
    }

    /** What a check may change that its events report. */
    record CheckState(boolean updateAvailable, String bestTag, String digest, String error) {
        static final CheckState NONE = new CheckState(false, null, null, null);

        static CheckState of(ContainerImage i) {
            return new CheckState(i.updateAvailable, i.bestTag, i.latestDigest, i.lastCheckError);
        }
    }

    /**
     * The events of a stored check (same transaction): check-failed when it failed and the check
     * before did not (once per streak of failures, not once per retry); update-available when
     * applications run another digest than the best tag's and that was not so before, or the best
     * tag or its digest moved (with fromTag/toTag/fromDigest/toDigest).
     */
    void announce(ContainerImage image, CheckState before, String changedBy) {
        if (image.lastCheckError != null && before.error() == null) {
            events.record(image.companyId(), image.environmentId, EventType.CONTAINER_IMAGE_CHECK_FAILED, image.id,
                    ContainerImageView.of(image), changedBy, Map.of());
        }
        boolean moved = !Objects.equals(before.bestTag(), image.bestTag) || !Objects.equals(before.digest(), image.latestDigest);
        if (image.updateAvailable && (!before.updateAvailable() || moved)) {
            Map<String, Object> extra = new java.util.LinkedHashMap<>();
            if (moved && before.digest() != null) {
                extra.put("fromTag", before.bestTag());
                extra.put("toTag", image.bestTag);
                extra.put("fromDigest", before.digest());
                extra.put("toDigest", image.latestDigest);
            }
            events.record(image.companyId(), image.environmentId, EventType.CONTAINER_IMAGE_UPDATE_AVAILABLE, image.id,
                    ContainerImageView.of(image), changedBy, extra);
        }
    }
}
