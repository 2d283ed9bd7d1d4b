package io.berth.event;

/**
 * The CloudEvents {@code type} of each change Berth reports (reverse-DNS prefix {@code io.berth.},
 * as CloudEvents 1.0 §3.1.1 recommends).
 */
public enum EventType {
    APPLICATION_CREATED("io.berth.application.created"),
    APPLICATION_UPDATED("io.berth.application.updated"),
    /** The application's image (repository, tag or digest) changed: data has fromTag/toTag/fromDigest/toDigest. */
    APPLICATION_IMAGE_UPDATED("io.berth.application.image.updated"),
    APPLICATION_DELETED("io.berth.application.deleted"),
    APPLICATION_RESTORED("io.berth.application.restored"),
    /** A check found a best tag whose digest differs from what linked applications run. */
    CONTAINER_IMAGE_UPDATE_AVAILABLE("io.berth.container-image.update-available"),
    /** A check of the container image failed (data.lastCheckError says why). */
    CONTAINER_IMAGE_CHECK_FAILED("io.berth.container-image.check-failed"),
    /** Auto-update proposed a candidate for approval (data: the pending update, and supersedes when it replaced one). */
    UPDATE_PENDING("io.berth.update.pending"),
    /** A person approved a pending update; the application's own image.updated event comes with it. */
    UPDATE_APPROVED("io.berth.update.approved"),
    /** A person rejected a pending update; its candidate is not proposed again for that application. */
    UPDATE_REJECTED("io.berth.update.rejected");

    private final String type;

    EventType(String type) {
        this.type = type;
    }

    /** The CloudEvents type attribute. */
    public String type() {
        return type;
    }
}
