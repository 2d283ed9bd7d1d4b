package io.berth.connection;

import java.util.Map;

import io.berth.api.ApiException;
import io.berth.api.ErrorCode;
import io.berth.registry.RegistryException;

/**
 * The API's answer to a registry failure: what the caller can fix is a 400 naming the input
 * (unknown image, rejected credentials, refused address); what the registry must fix is a 503
 * with Retry-After (unreachable, rate limiting, 5xx, open circuit).
 */
public final class RegistryErrors {

    private RegistryErrors() {
    }

    /**
     * @param imageField       the input naming the image or repository (e.g. imageTag, repository)
     * @param connectionField  the input naming the registry connection (e.g. containerRegistryId)
     */
    public static ApiException toApi(RegistryException e, String imageField, String connectionField) {
        return switch (e.kind()) {
            case NOT_FOUND -> ApiException.validation(imageField, e.getMessage(),
                    "Check the name and tag. A private image needs a registry connection with credentials.");
            case CREDENTIALS_REJECTED, DENIED -> ApiException.validation(connectionField, e.getMessage(),
                    "Check the credentials with POST /api/registries/{id}/test and update them.");
            case REFUSED_TARGET -> ApiException.validation(connectionField, e.getMessage(),
                    "Registries on internal addresses must be allow-listed in berth.registry.allowed-private-hosts.");
            case TLS -> ApiException.validation(connectionField, e.getMessage(),
                    "The registry's certificate is not trusted; add its CA with berth.registry.ca-bundle.");
            case TOO_MANY_TAGS -> ApiException.validation(imageField, e.getMessage(),
                    "Narrow the tag filter, or raise berth.registry.max-tags (tags held) or max-tag-pages (pages read).");
            case RATE_LIMITED, UNREACHABLE, TIMEOUT, UNAVAILABLE, INVALID_RESPONSE -> {
                long retryAfter = e.retryAfterSeconds() > 0 ? e.retryAfterSeconds() : 30;
                yield new ApiException(ErrorCode.SERVICE_UNAVAILABLE, "The registry is unavailable: " + e.getMessage(),
                        null, "Retry after " + retryAfter + " seconds.", Map.of("Retry-After", Long.toString(retryAfter)));
            }
        };
    }
}
