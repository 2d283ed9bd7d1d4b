package io.berth.image;

import java.util.Set;
import java.util.UUID;

/** The digests an environment's applications run for one repository (to tell if an update is available). */
public interface RunningDigests {

    /**
     * The digests ({@code sha256:...}) the current company's live applications in the environment run.
     *
     * @param imageRef the normalized repository, e.g. docker.io/library/nginx
     */
    Set<String> running(UUID environmentId, String imageRef);
}
