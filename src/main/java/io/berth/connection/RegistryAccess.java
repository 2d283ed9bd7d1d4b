package io.berth.connection;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.berth.api.ApiException;
import io.berth.registry.ImageReference;
import io.berth.registry.RegistryAuth;
import io.berth.registry.RegistryClient;
import io.berth.security.Caller;

/**
 * How the features that name images (container images, applications) reach a registry: parsing a
 * client's image name or tag into a 400 naming the client's field, and the credentials of an
 * optional registry connection. This is the one place where a {@code registryConnectionId} sent
 * with an image becomes a {@link RegistryAuth}.
 */
@ApplicationScoped
public class RegistryAccess {

    private final RegistryConnectionService connections;
    private final RegistryClient registry;

    public RegistryAccess(RegistryConnectionService connections, RegistryClient registry) {
        this.connections = connections;
        this.registry = registry;
    }

    /**
     * Credentials for {@code image}: anonymous without a connection, else the decrypted secret of
     * connection {@code connectionId}, which must be one of the caller's company and point at the
     * image's registry.
     *
     * @param field the client's name for the connection id, for the error ({@code registryConnectionId},
     *              {@code source.containerRegistryId})
     * @throws ApiException 400 naming {@code field} for an unknown connection or one for another registry
     */
    public RegistryAuth authFor(Caller caller, UUID connectionId, ImageReference image, String field) {
        return connectionId == null ? registry.anonymous(image)
                : connections.auth(caller, connections.forImage(caller, connectionId, image, field));
    }

    /**
     * A repository name as clients write it ({@code nginx}, {@code ghcr.io/org/app}), without tag or
     * digest; the rules are the OCI distribution reference grammar's (see {@link ImageReference}).
     *
     * @throws ApiException 400 naming {@code field}
     */
    public static ImageReference imageName(String name, String field) {
        try {
            return ImageReference.parseName(name);
        } catch (ImageReference.InvalidReferenceException e) {
            throw ApiException.validation(field, e.getMessage(), e.hint());
        }
    }

    /**
     * A tag (OCI distribution spec: {@code [a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}}).
     *
     * @throws ApiException 400 naming {@code field}
     */
    public static String tag(String tag, String field) {
        try {
            return ImageReference.validTag(tag);
        } catch (ImageReference.InvalidReferenceException e) {
            throw ApiException.validation(field, e.getMessage(), e.hint());
        }
    }
}
