package io.berth.application;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.berth.api.ApiException;
import io.berth.connection.RegistryAccess;
import io.berth.connection.RegistryErrors;
import io.berth.image.ContainerImageService;
import io.berth.registry.ImageReference;
import io.berth.registry.RegistryAuth;
import io.berth.registry.RegistryClient;
import io.berth.registry.RegistryException;
import io.berth.security.Caller;

/**
 * The image of an application: checked against its registry before it is stored (the tag must
 * exist; its digest is pinned), and copied into the application with the container image that
 * tracks its repository in the environment. Registry calls happen here, outside any transaction.
 */
@ApplicationScoped
class ApplicationImages {

    private final RegistryAccess access;
    private final RegistryClient registry;
    private final ContainerImageService containerImages;

    ApplicationImages(RegistryAccess access, RegistryClient registry, ContainerImageService containerImages) {
        this.access = access;
        this.registry = registry;
        this.containerImages = containerImages;
    }

    /** The inputs naming the image, for error fields: PATCH .../image and the source object differ. */
    record Fields(String name, String tag, String registry) {
        static final Fields PATCH = new Fields("imageName", "imageTag", "containerRegistryId");
        static final Fields SOURCE = new Fields("source.image.name", "source.image.tag", "source.containerRegistryId");
    }

    /** An image the registry confirmed: the reference, its tag's digest, and the connection used. */
    record ValidImage(ImageReference ref, String familiarName, String tag, String digest, UUID registryConnectionId) {
    }

    /**
     * Checks that {@code imageName:imageTag} exists, with the credentials of connection
     * {@code connectionId} (anonymously when null), and resolves the tag's digest.
     *
     * @throws ApiException 400 naming the field at fault (a bad name or tag, a tag or repository
     *                      the registry does not have, a private image without a connection, a
     *                      connection for another registry); the registry's own failures as
     *                      {@link RegistryErrors} maps them (503 unreachable, 502 bad answers)
     */
    ValidImage validate(Caller caller, String imageName, String imageTag, UUID connectionId, Fields fields) {
        ImageReference ref = RegistryAccess.imageName(imageName, fields.name());
        String tag = RegistryAccess.tag(imageTag, fields.tag());
        RegistryAuth auth = access.authFor(caller, connectionId, ref, fields.registry());
        try {
            String digest = registry.head(ref.withTag(tag), auth).digest();
            return new ValidImage(ref, ref.familiarName(), tag, digest, connectionId);
        } catch (RegistryException e) {
            throw imageError(e, ref, tag, auth, connectionId, fields);
        }
    }

    /** Stores a validated image in {@code app}, linked to the container image tracking it, if any. */
    void apply(Application app, ValidImage image) {
        app.imageName = image.familiarName();
        app.imageRef = image.ref().registry() + "/" + image.ref().repository();
        app.imageTag = image.tag();
        app.imageDigest = image.digest();
        app.registryConnectionId = image.registryConnectionId();
        app.containerImageId = containerImages.trackedIn(app.environmentId, app.imageRef).orElse(null);
    }

    /** A registry "not found" is told apart: a missing tag of an existing repository, or no repository. */
    private ApiException imageError(RegistryException e, ImageReference ref, String tag, RegistryAuth auth,
            UUID connectionId, Fields fields) {
        if (e.kind() == RegistryException.Kind.NOT_FOUND) {
            boolean repositoryExists;
            try {
                repositoryExists = registry.repositoryExists(ref, auth);
            } catch (RegistryException unknown) {
                repositoryExists = false;
            }
            if (repositoryExists) {
                return ApiException.validation(fields.tag(), "The tag \"" + tag + "\" of " + ref.familiarName()
                        + " does not exist.", "List the tags with GET /api/registries/{id}/tags?repository="
                        + ref.repository() + ", or push the tag first.");
            }
            return ApiException.validation(fields.name(), e.getMessage(), connectionId == null
                    ? "Private images need containerRegistryId: a registry connection with credentials."
                    : "Check the image name.");
        }
        if (connectionId == null && (e.kind() == RegistryException.Kind.CREDENTIALS_REJECTED
                || e.kind() == RegistryException.Kind.DENIED)) {
            return ApiException.validation(fields.name(), ref.familiarName() + " is not public: " + e.getMessage(),
                    "Private images need containerRegistryId: a registry connection with credentials.");
        }
        return RegistryErrors.toApi(e, fields.name(), fields.registry());
    }
}
