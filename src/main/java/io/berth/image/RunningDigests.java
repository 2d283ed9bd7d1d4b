package io.berth.image;

import java.util.Set;
import java.util.UUID;

/** The digests an environment's applications run for one repository (to tell if an update is available). */
public interface RunningDigests {

    /**
     * @param companyId the company of the environment (rows are always read within one company)
     * @param imageRef  the normalized repository, e.g. docker.io/library/nginx
     */
    Set<String> running(UUID companyId, UUID environmentId, String imageRef);
}
