package io.berth.application;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;

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
import io.berth.application.ApplicationImages.Fields;
import io.berth.application.ApplicationImages.ValidImage;
import io.berth.environment.EnvironmentService;
import io.berth.image.ContainerImageService;
import io.berth.persistence.DbTime;
import io.berth.security.Caller;

/**
 * Applications and their image. Every image that goes in is checked against its registry first
 * (outside any transaction): the tag must exist, and its digest is pinned. Every change writes a
 * version snapshot; a dry run does all of it, constraints included, then rolls back.
 */
@ApplicationScoped
public class ApplicationService {

    private final ApplicationRepository applications;
    private final EnvironmentService environments;
    private final ContainerImageService containerImages;
    private final ApplicationImages images;
    private final Hostnames hostnames;
    private final TransactionManager transactions;
    private final ApplicationEvents events;

    public ApplicationService(ApplicationRepository applications, EnvironmentService environments,
            ContainerImageService containerImages, ApplicationImages images, Hostnames hostnames,
            TransactionManager transactions, ApplicationEvents events) {
        this.events = events;
        this.applications = applications;
        this.environments = environments;
        this.containerImages = containerImages;
        this.images = images;
        this.hostnames = hostnames;
        this.transactions = transactions;
    }

    // ---- reads --------------------------------------------------------------------------

    /**
     * One page of the live applications of an environment, or of the whole company when
     * {@code environmentId} is null; creation order.
     *
     * @throws ApiException 404 for an environment of no company of the caller's
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Page<Application> list(Caller caller, UUID environmentId, PageRequest page) {
        if (environmentId != null) {
            environments.get(caller, environmentId);
        }
        return applications.live(environmentId, page);
    }

    /** @throws ApiException 404 for an unknown, deleted or other company's application or environment */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Application get(Caller caller, UUID environmentId, UUID id) {
        environments.get(caller, environmentId);
        return applications.findLive(environmentId, id)
                .orElseThrow(() -> ApiException.notFound("Application " + id));
    }

    /** The application's versions, newest first. @throws ApiException 404 as {@link #get} */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Page<VersionView> history(Caller caller, UUID environmentId, UUID id, PageRequest page) {
        return applications.versions(get(caller, environmentId, id), page);
    }

    // ---- writes -------------------------------------------------------------------------

    /**
     * Creates an application with a fresh hostname and version 1. The image is validated against its
     * registry first, outside the transaction; defaults: cpu {@value ApplicationRules#DEFAULT_CPU} m,
     * memory {@value ApplicationRules#DEFAULT_MEMORY} MiB, storage 0 GiB, port 8080.
     *
     * @throws ApiException 404 for the environment; 400 naming the field for a bad name, variable or
     *                      image; 409 when the name is taken in the environment; 503 when the
     *                      registry is unreachable
     */
    public Application create(Caller caller, UUID environmentId, ApplicationCreate request) {
        environments.get(caller, environmentId);
        String name = ApplicationRules.validName(request.name());
        var source = request.source();
        if (source.image() == null) {
            throw ApiException.validation("source.image", "source.image is required.", "Send {\"name\": ..., \"tag\": ...}.");
        }
        ValidImage image = images.validate(caller, source.image().name(), source.image().tag(), source.containerRegistryId(),
                Fields.SOURCE);
        Map<String, String> variables = ApplicationRules.validVariables(request.environmentVariables());
        for (int attempt = 1; ; attempt++) {
            String hostname = hostnames.generate(name);
            try {
                return persistNew(caller, environmentId, name, image, request, variables, hostname);
            } catch (RuntimeException e) {
                if (attempt >= 3 || !Hostnames.isCollision(e)) {
                    throw e;
                }
                // another application took this hostname between our check and our insert
            }
        }
    }

    // Called from this bean (create, below): Quarkus' interceptors apply to self-invocation too (ArC
    // intercepts calls through `this`, unlike proxy-based CDI), so each call is its own transaction,
    // committed before the next hostname attempt. The same holds for write(..) here and for the
    // persist/apply methods of ContainerImageService.
    @Transactional
    Application persistNew(Caller caller, UUID environmentId, String name, ValidImage image, ApplicationCreate request,
            Map<String, String> variables, String hostname) {
        requireUniqueName(caller, environmentId, name, null);
        Application app = new Application();
        app.ownBy(caller.subject());
        app.environmentId = environmentId;
        app.name = name;
        images.apply(app, image);
        var resources = request.resources();
        app.cpu = resources == null || resources.cpu() == null ? ApplicationRules.DEFAULT_CPU : resources.cpu();
        app.memory = resources == null || resources.memory() == null ? ApplicationRules.DEFAULT_MEMORY : resources.memory();
        app.storage = resources == null || resources.storage() == null ? ApplicationRules.DEFAULT_STORAGE : resources.storage();
        app.port = request.port() == null ? ApplicationRules.DEFAULT_PORT : request.port();
        app.environmentVariables = new LinkedHashMap<>(variables);
        app.hostname = hostname;
        applications.persist(app);
        applications.flush();
        applications.recordVersion(app, caller.subject(), app.createdAt, List.of("created"));
        events.changed(app, null, caller.subject(), List.of("created"));
        containerImages.refreshUpdateAvailable(environmentId, app.imageRef);
        return app;
    }

    /**
     * PUT, a partial update: {@code merge} computes the whole application after the body was merged
     * into its view (bound and validated as a creation body) from the current row. Without an image
     * change it is one transaction: one read, the UPDATE of the changed columns, the history entry
     * (issue 15). An image change is validated against the registry like PATCH .../image, outside any
     * transaction, and then stored if the row is still at the version it was computed from. A target
     * equal to the current state stores nothing and keeps the version.
     *
     * @throws ApiException 404; 409 when If-Match is not the current version, the row changed
     *                      meanwhile or the new name is taken; 400 naming the field for a bad name,
     *                      variable or image, or whatever {@code merge} throws; 503 when the registry
     *                      is unreachable
     */
    public Application update(Caller caller, UUID environmentId, UUID id, Function<Application, ApplicationCreate> merge,
            Preconditions preconditions, boolean dryRun) {
        UpdatePlan plan = planUpdate(caller, environmentId, id, merge, preconditions, dryRun);
        if (plan.stored() != null) {
            return plan.stored();
        }
        ValidImage image = images.validate(caller, plan.imageName(), plan.imageTag(),
                plan.target().source().containerRegistryId(), Fields.SOURCE);
        return write(caller, environmentId, id, plan.basedOn(), dryRun, change(plan.target(), image));
    }

    /** A PUT either stored already ({@code stored}), or waiting for the registry to confirm its new image. */
    record UpdatePlan(Application stored, long basedOn, ApplicationCreate target, String imageName, String imageTag) {
    }

    @Transactional
    UpdatePlan planUpdate(Caller caller, UUID environmentId, UUID id, Function<Application, ApplicationCreate> merge,
            Preconditions preconditions, boolean dryRun) {
        Application current = get(caller, environmentId, id);
        preconditions.check(current.version);
        ApplicationCreate target = merge.apply(current);
        // 400 before the registry is asked; change() normalises the same values again for the write
        ApplicationRules.validName(target.name());
        ApplicationRules.validVariables(target.environmentVariables());
        var source = target.source();
        String imageName = source.image() != null && source.image().name() != null ? source.image().name() : current.imageName;
        String imageTag = source.image() != null && source.image().tag() != null ? source.image().tag() : current.imageTag;
        if (!imageName.equals(current.imageName) || !imageTag.equals(current.imageTag)
                || !Objects.equals(source.containerRegistryId(), current.registryConnectionId)) {
            return new UpdatePlan(null, current.version, target, imageName, imageTag); // the registry first
        }
        return new UpdatePlan(write(caller, environmentId, id, current.version, dryRun, change(target, null)),
                current.version, target, imageName, imageTag);
    }

    /** What a PUT's {@code target} changes in an application; {@code newImage} null keeps the image. */
    private Consumer<Application> change(ApplicationCreate target, ValidImage newImage) {
        String name = ApplicationRules.validName(target.name());
        Map<String, String> variables = ApplicationRules.validVariables(target.environmentVariables());
        var resources = target.resources();
        return app -> {
            app.name = name;
            if (newImage != null) {
                images.apply(app, newImage);
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
        };
    }

    /**
     * PATCH .../image: only the image changes (name, tag and connection; the digest is pinned anew).
     *
     * @throws ApiException 404; 409 for a stale If-Match; 400 naming imageName, imageTag or
     *                      containerRegistryId; 503 when the registry is unreachable
     */
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
        ValidImage image = images.validate(caller, request.imageName(), request.imageTag(), request.containerRegistryId(),
                Fields.PATCH);
        return write(caller, environmentId, id, current.version, dryRun, app -> images.apply(app, image));
    }

    /**
     * Marks the application deleted (its history stays; the name may be used again).
     *
     * @throws ApiException 404; 409 for a stale If-Match
     */
    @Transactional
    public void delete(Caller caller, UUID environmentId, UUID id, Preconditions preconditions) {
        Application app = get(caller, environmentId, id);
        preconditions.check(app.version);
        Snapshot before = Snapshot.of(app);
        app.deleted = true;
        app.touchBy(caller.subject());
        applications.flush();
        applications.recordVersion(app, caller.subject(), app.updatedAt, List.of("deleted"));
        events.changed(app, before, caller.subject(), List.of("deleted"));
        containerImages.refreshUpdateAvailable(environmentId, app.imageRef);
    }

    /**
     * A new version equal to version {@code version}, noted "restored from N"; the image is checked
     * against the registry again only if it differs from the current one.
     *
     * @throws ApiException 404 for the application or the version; 409 for a stale If-Match; the
     *                      image errors of {@link #create}
     */
    public Application restore(Caller caller, UUID environmentId, UUID id, long version, Preconditions preconditions) {
        Application current = get(caller, environmentId, id);
        preconditions.check(current.version);
        Snapshot target = applications.version(current, version)
                .orElseThrow(() -> ApiException.notFound("Version " + version + " of application " + id)).snapshot();
        boolean imageChanged = !target.imageName().equals(current.imageName) || !target.imageTag().equals(current.imageTag)
                || !Objects.equals(target.containerRegistryId(), current.registryConnectionId);
        ValidImage image = imageChanged
                ? images.validate(caller, target.imageName(), target.imageTag(), target.containerRegistryId(), Fields.SOURCE) : null;
        return write(caller, environmentId, id, current.version, false, "restored from " + version, app -> {
            app.name = target.name();
            if (image != null) {
                images.apply(app, image);
            }
            app.cpu = target.cpu();
            app.memory = target.memory();
            app.storage = target.storage();
            app.port = target.port();
            app.environmentVariables = new LinkedHashMap<>(target.environmentVariables());
        });
    }

    private Application write(Caller caller, UUID environmentId, UUID id, long expectedVersion, boolean dryRun,
            Consumer<Application> change) {
        return write(caller, environmentId, id, expectedVersion, dryRun, null, change);
    }

    /**
     * Applies a change in one transaction: version check, name uniqueness, flush (constraints),
     * a history entry, and the tracked image's updateAvailable. A dry run rolls all of it back.
     */
    @Transactional
    Application write(Caller caller, UUID environmentId, UUID id, long expectedVersion, boolean dryRun, String note,
            Consumer<Application> change) {
        Application app = get(caller, environmentId, id);
        Preconditions.requireUnchanged("application", expectedVersion, app.version);
        Snapshot before = Snapshot.of(app);
        String oldImageRef = app.imageRef;
        change.accept(app);
        List<String> changes = VersionDiff.changes(before, Snapshot.of(app));
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
        applications.recordVersion(app, caller.subject(), DbTime.now(), changes);
        events.changed(app, before, caller.subject(), changes);
        containerImages.refreshUpdateAvailable(environmentId, app.imageRef);
        if (!oldImageRef.equals(app.imageRef)) {
            containerImages.refreshUpdateAvailable(environmentId, oldImageRef);
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

    private void requireUniqueName(Caller caller, UUID environmentId, String name, UUID except) {
        if (applications.nameTaken(environmentId, name, except)) {
            throw new ApiException(ErrorCode.CONFLICT, "An application named \"" + name
                    + "\" already exists in this environment.", "name", "Choose another name.");
        }
    }
}
