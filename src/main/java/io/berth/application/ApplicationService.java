package io.berth.application;

import java.security.SecureRandom;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.TransactionManager;
import jakarta.transaction.Transactional;

import io.berth.api.ApiException;
import io.berth.api.ErrorCode;
import io.berth.api.Page;
import io.berth.api.PageRequest;
import io.berth.api.Preconditions;
import io.berth.application.ApplicationDtos.ApplicationCreate;
import io.berth.application.ApplicationDtos.ImageUpdate;
import io.berth.application.ApplicationDtos.Snapshot;
import io.berth.application.ApplicationDtos.VersionView;
import io.berth.connection.RegistryConnectionService;
import io.berth.connection.RegistryErrors;
import io.berth.environment.EnvironmentService;
import io.berth.image.ContainerImageService;
import io.berth.registry.ImageReference;
import io.berth.registry.RegistryAuth;
import io.berth.registry.RegistryClient;
import io.berth.registry.RegistryException;
import io.berth.security.Caller;

/**
 * Applications and their image. Every image that goes in is checked against its registry first
 * (outside any transaction): the tag must exist, and its digest is pinned. Every change writes a
 * version snapshot; a dry run does all of it, constraints included, then rolls back.
 */
@ApplicationScoped
public class ApplicationService {

    static final int DEFAULT_CPU = 250;
    static final int DEFAULT_MEMORY = 256;
    static final int DEFAULT_STORAGE = 0;
    static final int DEFAULT_PORT = 8080;
    /** So that name + "-" + 6 characters is a DNS-1123 label of at most 63. */
    static final int MAX_NAME = 56;
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final int MAX_ENV_VARS = 200;
    private static final int MAX_ENV_VALUE = 32_768;
    private static final char[] HOST_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    private final ApplicationRepository applications;
    private final EnvironmentService environments;
    private final RegistryConnectionService connections;
    private final ContainerImageService containerImages;
    private final RegistryClient registry;
    private final TransactionManager transactions;
    private final SecureRandom random = new SecureRandom();

    public ApplicationService(ApplicationRepository applications, EnvironmentService environments,
            RegistryConnectionService connections, ContainerImageService containerImages, RegistryClient registry,
            TransactionManager transactions) {
        this.applications = applications;
        this.environments = environments;
        this.connections = connections;
        this.containerImages = containerImages;
        this.registry = registry;
        this.transactions = transactions;
    }

    /** The inputs naming the image, for error fields: PATCH .../image and the source object differ. */
    record Fields(String name, String tag, String registry) {
        static final Fields PATCH = new Fields("imageName", "imageTag", "containerRegistryId");
        static final Fields SOURCE = new Fields("source.image.name", "source.image.tag", "source.containerRegistryId");
    }

    /** An image the registry confirmed: the reference, its tag's digest, and the connection used. */
    record ValidImage(ImageReference ref, String familiarName, String tag, String digest, UUID registryId) {
    }

    // ---- reads --------------------------------------------------------------------------

    @Transactional(Transactional.TxType.SUPPORTS)
    public Page<Application> list(Caller caller, UUID environmentId, PageRequest page) {
        if (environmentId != null) {
            environments.get(caller, environmentId);
        }
        return applications.live(environmentId, page);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Application get(Caller caller, UUID environmentId, UUID id) {
        environments.get(caller, environmentId);
        return applications.findLive(environmentId, id)
                .orElseThrow(() -> ApiException.notFound("Application " + id));
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Page<VersionView> history(Caller caller, UUID environmentId, UUID id, PageRequest page) {
        return applications.versions(get(caller, environmentId, id), page);
    }

    // ---- writes -------------------------------------------------------------------------

    public Application create(Caller caller, UUID environmentId, ApplicationCreate request) {
        environments.get(caller, environmentId);
        String name = validName(request.name());
        var source = request.source();
        if (source.image() == null) {
            throw ApiException.validation("source.image", "source.image is required.", "Send {\"name\": ..., \"tag\": ...}.");
        }
        ValidImage image = validate(caller, source.image().name(), source.image().tag(), source.containerRegistryId(),
                Fields.SOURCE);
        Map<String, String> variables = validVariables(request.environmentVariables());
        for (int attempt = 1; ; attempt++) {
            String hostname = generateHostname(name);
            try {
                return persistNew(caller, environmentId, name, image, request, variables, hostname);
            } catch (RuntimeException e) {
                if (attempt >= 3 || !isHostnameCollision(e)) {
                    throw e;
                }
                // another application took this hostname between our check and our insert
            }
        }
    }

    @Transactional
    Application persistNew(Caller caller, UUID environmentId, String name, ValidImage image, ApplicationCreate request,
            Map<String, String> variables, String hostname) {
        requireUniqueName(caller, environmentId, name, null);
        Application app = new Application();
        app.ownBy(caller.subject());
        app.environmentId = environmentId;
        app.name = name;
        setImage(caller, app, image);
        var resources = request.resources();
        app.cpu = resources == null || resources.cpu() == null ? DEFAULT_CPU : resources.cpu();
        app.memory = resources == null || resources.memory() == null ? DEFAULT_MEMORY : resources.memory();
        app.storage = resources == null || resources.storage() == null ? DEFAULT_STORAGE : resources.storage();
        app.port = request.port() == null ? DEFAULT_PORT : request.port();
        app.environmentVariables = new LinkedHashMap<>(variables);
        app.hostname = hostname;
        applications.persist(app);
        applications.flush();
        applications.recordVersion(app, caller.subject(), app.createdAt, List.of("created"));
        containerImages.refreshUpdateAvailable(caller, environmentId, app.imageRef);
        return app;
    }

    /**
     * PUT, a partial update: {@code target} is the whole application after the body was merged into
     * its view (bound and validated as a creation body), computed from version {@code basedOn}. An
     * image change is validated against the registry like PATCH .../image, outside the transaction;
     * a target equal to the current state stores nothing and keeps the version.
     *
     * @throws ApiException 404; 409 when If-Match or {@code basedOn} is not the current version or
     *                      the new name is taken; 400 naming the field for a bad name, variable or
     *                      image; 503 when the registry is unreachable
     */
    public Application update(Caller caller, UUID environmentId, UUID id, long basedOn, ApplicationCreate target,
            Preconditions preconditions, boolean dryRun) {
        Application current = get(caller, environmentId, id);
        preconditions.check(current.version);
        Preconditions.requireUnchanged("application", basedOn, current.version);
        String name = validName(target.name());
        Map<String, String> variables = validVariables(target.environmentVariables());
        var source = target.source();
        String imageName = source.image() != null && source.image().name() != null ? source.image().name() : current.imageName;
        String imageTag = source.image() != null && source.image().tag() != null ? source.image().tag() : current.imageTag;
        ValidImage image = null;
        if (!imageName.equals(current.imageName) || !imageTag.equals(current.imageTag)
                || !Objects.equals(source.containerRegistryId(), current.containerRegistryId)) {
            image = validate(caller, imageName, imageTag, source.containerRegistryId(), Fields.SOURCE);
        }
        ValidImage newImage = image;
        var resources = target.resources();
        return write(caller, environmentId, id, basedOn, dryRun, app -> {
            app.name = name;
            if (newImage != null) {
                setImage(caller, app, newImage);
            }
            if (resources != null) {
                app.cpu = resources.cpu() != null ? resources.cpu() : app.cpu;
                app.memory = resources.memory() != null ? resources.memory() : app.memory;
                app.storage = resources.storage() != null ? resources.storage() : app.storage;
            }
            if (target.port() != null) {
                app.port = target.port();
            }
            if (!variables.equals(app.environmentVariables)) { // an equal map stays the same object: not dirty
                app.environmentVariables = new LinkedHashMap<>(variables);
            }
        });
    }

    /** The seed's PATCH .../image: only the image changes. */
    public Application updateImage(Caller caller, UUID environmentId, UUID id, ImageUpdate request,
            Preconditions preconditions, boolean dryRun) {
        Application current = get(caller, environmentId, id);
        preconditions.check(current.version);
        if (request.imageName() == null || request.imageName().isBlank()) {
            throw ApiException.validation("imageName", "imageName is required.", "e.g. nginx or ghcr.io/org/app.");
        }
        if (request.imageTag() == null || request.imageTag().isBlank()) {
            throw ApiException.validation("imageTag", "imageTag is required.", "e.g. latest, 1.25 or v2.0.0.");
        }
        ValidImage image = validate(caller, request.imageName(), request.imageTag(), request.containerRegistryId(),
                Fields.PATCH);
        return write(caller, environmentId, id, current.version, dryRun, app -> setImage(caller, app, image));
    }

    @Transactional
    public void delete(Caller caller, UUID environmentId, UUID id, Preconditions preconditions) {
        Application app = get(caller, environmentId, id);
        preconditions.check(app.version);
        app.deleted = true;
        app.touchBy(caller.subject());
        applications.flush();
        applications.recordVersion(app, caller.subject(), app.updatedAt, List.of("deleted"));
        containerImages.refreshUpdateAvailable(caller, environmentId, app.imageRef);
    }

    /** A new version equal to version {@code n}; the image is checked again only if it differs. */
    public Application restore(Caller caller, UUID environmentId, UUID id, long version, Preconditions preconditions) {
        Application current = get(caller, environmentId, id);
        preconditions.check(current.version);
        Snapshot target = applications.version(current, version)
                .orElseThrow(() -> ApiException.notFound("Version " + version + " of application " + id)).snapshot();
        boolean imageChanged = !target.imageName().equals(current.imageName) || !target.imageTag().equals(current.imageTag)
                || !Objects.equals(target.containerRegistryId(), current.containerRegistryId);
        ValidImage image = imageChanged
                ? validate(caller, target.imageName(), target.imageTag(), target.containerRegistryId(), Fields.SOURCE) : null;
        return write(caller, environmentId, id, current.version, false, "restored from " + version, app -> {
            app.name = target.name();
            if (image != null) {
                setImage(caller, app, image);
            }
            app.cpu = target.cpu();
            app.memory = target.memory();
            app.storage = target.storage();
            app.port = target.port();
            app.environmentVariables = new LinkedHashMap<>(target.environmentVariables());
        });
    }

    private Application write(Caller caller, UUID environmentId, UUID id, long expectedVersion, boolean dryRun,
            java.util.function.Consumer<Application> change) {
        return write(caller, environmentId, id, expectedVersion, dryRun, null, change);
    }

    /**
     * Applies a change in one transaction: version check, name uniqueness, flush (constraints),
     * a history entry, and the tracked image's updateAvailable. A dry run rolls all of it back.
     */
    @Transactional
    Application write(Caller caller, UUID environmentId, UUID id, long expectedVersion, boolean dryRun, String note,
            java.util.function.Consumer<Application> change) {
        Application app = get(caller, environmentId, id);
        Preconditions.requireUnchanged("application", expectedVersion, app.version);
        Snapshot before = Snapshot.of(app);
        String oldImageRef = app.imageRef;
        change.accept(app);
        List<String> changes = changes(before, Snapshot.of(app));
        if (changes.isEmpty() && note == null) {
            rollbackIf(dryRun);
            return app; // nothing to change: no new version
        }
        if (!app.name.equals(before.name())) {
            requireUniqueName(caller, environmentId, app.name, id);
        }
        if (note != null) {
            changes.add(0, note);
        }
        app.touchBy(caller.subject());
        if (changes.size() == 1 && note != null) {
            applications.forceNewVersion(app); // a restore to the current state still makes a version
        }
        applications.flush();
        applications.recordVersion(app, caller.subject(), now(), changes);
        containerImages.refreshUpdateAvailable(caller, environmentId, app.imageRef);
        if (!oldImageRef.equals(app.imageRef)) {
            containerImages.refreshUpdateAvailable(caller, environmentId, oldImageRef);
        }
        rollbackIf(dryRun);
        return app;
    }

    private void rollbackIf(boolean dryRun) {
        if (dryRun) {
            try {
                transactions.setRollbackOnly();
            } catch (jakarta.transaction.SystemException e) {
                throw new IllegalStateException("Cannot roll back the dry run", e);
            }
        }
    }

    private static List<String> changes(Snapshot a, Snapshot b) {
        List<String> changes = new ArrayList<>();
        if (!a.name().equals(b.name())) {
            changes.add("name");
        }
        if (!a.imageName().equals(b.imageName()) || !a.imageTag().equals(b.imageTag()) || !a.imageDigest().equals(b.imageDigest())) {
            changes.add("source.image");
        }
        if (!Objects.equals(a.containerRegistryId(), b.containerRegistryId())) {
            changes.add("source.containerRegistryId");
        }
        if (a.cpu() != b.cpu() || a.memory() != b.memory() || a.storage() != b.storage()) {
            changes.add("resources");
        }
        if (a.port() != b.port()) {
            changes.add("port");
        }
        if (!a.environmentVariables().equals(b.environmentVariables())) {
            changes.add("environmentVariables");
        }
        return changes;
    }

    // ---- images -------------------------------------------------------------------------

    /** Checks the image against its registry, outside any transaction. */
    ValidImage validate(Caller caller, String imageName, String imageTag, UUID registryId, Fields fields) {
        ImageReference ref;
        try {
            ref = ImageReference.parseName(imageName);
        } catch (ImageReference.InvalidReferenceException e) {
            throw ApiException.validation(fields.name(), e.getMessage(), e.hint());
        }
        String tag;
        try {
            tag = ImageReference.validTag(imageTag);
        } catch (ImageReference.InvalidReferenceException e) {
            throw ApiException.validation(fields.tag(), e.getMessage(), e.hint());
        }
        RegistryAuth auth = registryId == null ? registry.anonymous(ref)
                : connections.auth(caller, connections.forImage(caller, registryId, ref, fields.registry()));
        try {
            String digest = registry.head(ref.withTag(tag), auth).digest();
            return new ValidImage(ref, ref.familiarName(), tag, digest, registryId);
        } catch (RegistryException e) {
            throw imageError(e, ref, tag, auth, registryId, fields);
        }
    }

    private ApiException imageError(RegistryException e, ImageReference ref, String tag, RegistryAuth auth,
            UUID registryId, Fields fields) {
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
            return ApiException.validation(fields.name(), e.getMessage(), registryId == null
                    ? "Private images need containerRegistryId: a registry connection with credentials."
                    : "Check the image name.");
        }
        if (registryId == null && (e.kind() == RegistryException.Kind.CREDENTIALS_REJECTED
                || e.kind() == RegistryException.Kind.DENIED)) {
            return ApiException.validation(fields.name(), ref.familiarName() + " is not public: " + e.getMessage(),
                    "Private images need containerRegistryId: a registry connection with credentials.");
        }
        return RegistryErrors.toApi(e, fields.name(), fields.registry());
    }

    private void setImage(Caller caller, Application app, ValidImage image) {
        app.imageName = image.familiarName();
        app.imageRef = image.ref().registry() + "/" + image.ref().repository();
        app.imageTag = image.tag();
        app.imageDigest = image.digest();
        app.containerRegistryId = image.registryId();
        app.containerImageId = containerImages.trackedIn(caller, app.environmentId, app.imageRef).orElse(null);
    }

    // ---- names, hostnames, variables ------------------------------------------------------

    /** A fresh hostname for {@code name}, not used by any application. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public String generateHostname(String name) {
        String base = name == null ? "app" : name.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9-]+", "-")
                .replaceAll("^-+", "");
        if (base.length() > MAX_NAME) {
            base = base.substring(0, MAX_NAME);
        }
        base = base.replaceAll("-+$", "");
        if (base.isEmpty()) {
            base = "app";
        }
        for (int attempt = 0; attempt < 10; attempt++) {
            StringBuilder hostname = new StringBuilder(base).append('-');
            for (int i = 0; i < 6; i++) {
                hostname.append(HOST_CHARS[random.nextInt(HOST_CHARS.length)]);
            }
            if (!applications.hostnameTaken(hostname.toString())) {
                return hostname.toString();
            }
        }
        throw new ApiException(ErrorCode.CONFLICT, "No free hostname was found for \"" + base + "\".", "name",
                "Try again, or choose a more distinctive name.");
    }

    private static boolean isHostnameCollision(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains("applications_hostname_uq")) {
                return true;
            }
        }
        return false;
    }

    private static String validName(String name) {
        if (name == null || name.length() > MAX_NAME || !DNS_LABEL.matcher(name).matches()) {
            throw ApiException.validation("name", "name must be a DNS-1123 label of at most " + MAX_NAME
                    + " characters: lower-case letters, digits and '-', starting and ending with a letter or digit.",
                    "e.g. my-web-app. The hostname adds a dash and 6 characters, and must stay within 63.");
        }
        return name;
    }

    private static Map<String, String> validVariables(Map<String, String> variables) {
        if (variables == null) {
            return Map.of();
        }
        if (variables.size() > MAX_ENV_VARS) {
            throw ApiException.validation("environmentVariables", "At most " + MAX_ENV_VARS + " environment variables.", null);
        }
        variables.forEach((key, value) -> {
            if (!ENV_NAME.matcher(key).matches() || key.length() > 255) {
                throw ApiException.validation("environmentVariables." + key, "\"" + key
                        + "\" is not a valid environment variable name.", "Names match [A-Za-z_][A-Za-z0-9_]*.");
            }
            if (value == null || value.length() > MAX_ENV_VALUE) {
                throw ApiException.validation("environmentVariables." + key, "The value of " + key
                        + " must be a string of at most " + MAX_ENV_VALUE + " characters.", null);
            }
        });
        return variables;
    }

    private void requireUniqueName(Caller caller, UUID environmentId, String name, UUID except) {
        if (applications.nameTaken(environmentId, name, except)) {
            throw new ApiException(ErrorCode.CONFLICT, "An application named \"" + name
                    + "\" already exists in this environment.", "name", "Choose another name.");
        }
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    }
}
