package io.berth.image;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.transaction.Transactional;

import io.berth.api.ApiException;
import io.berth.api.ErrorCode;
import io.berth.api.Page;
import io.berth.api.PageRequest;
import io.berth.api.Preconditions;
import io.berth.connection.RegistryAccess;
import io.berth.connection.RegistryErrors;
import io.berth.environment.EnvironmentService;
import io.berth.persistence.DbTime;
import io.berth.image.ContainerImageDtos.ContainerImageCreate;
import io.berth.image.ContainerImageDtos.DiscoveryInfo;
import io.berth.image.ContainerImageDtos.ImageTags;
import io.berth.image.ContainerImageDtos.TagInfo;
import io.berth.registry.ImageDetails;
import io.berth.registry.ImageReference;
import io.berth.registry.RegistryAuth;
import io.berth.registry.RegistryClient;
import io.berth.registry.RegistryException;
import io.berth.security.Caller;

/**
 * Tracked container images. Discovery (list the tags, apply the filter, choose the best tag, read
 * its digest, platforms and exposed ports) talks to the registry outside any database transaction;
 * its result is then stored in one short transaction, so a slow registry never holds a connection.
 * Creation and a PATCH of tagFilter or registryConnectionId run discovery inline and never fail
 * because of the registry: its failure is stored in lastCheckError. check-updates answers it.
 */
@ApplicationScoped
public class ContainerImageService {

    /** The client's name for the connection of an image, in errors. */
    static final String CONNECTION = "registryConnectionId";

    private final ContainerImageRepository images;
    private final EnvironmentService environments;
    private final RegistryAccess access;
    private final RegistryClient registry;
    private final ImageDiscovery discovery;
    private final Instance<RunningDigests> running;

    private final ContainerImageEvents events;

    public ContainerImageService(ContainerImageRepository images, EnvironmentService environments,
            RegistryAccess access, RegistryClient registry, ImageDiscovery discovery, Instance<RunningDigests> running,
            ContainerImageEvents events) {
        this.events = events;
        this.images = images;
        this.environments = environments;
        this.access = access;
        this.registry = registry;
        this.discovery = discovery;
        this.running = running;
    }

    /** One page of the environment's container images, creation order. @throws ApiException 404 for the environment */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Page<ContainerImage> list(Caller caller, UUID environmentId, PageRequest page) {
        environments.get(caller, environmentId);
        return images.page(page, "environmentId = ?1", ContainerImageRepository.CREATION_ORDER, environmentId);
    }

    /** @throws ApiException 404 for an unknown container image or another company's */
    @Transactional(Transactional.TxType.SUPPORTS)
    public ContainerImage get(Caller caller, UUID id) {
        return images.findByIdOptional(id).orElseThrow(() -> ApiException.notFound("Container image " + id));
    }

    /**
     * Starts tracking a repository in an environment and runs discovery inline; a registry failure is
     * stored in lastCheckError (the image is still created).
     *
     * @throws ApiException 404 for the environment; 400 for a bad imageName or tagFilter or a
     *                      connection that is not for this registry; 409 when the environment
     *                      already tracks the repository
     */
    public ContainerImage create(Caller caller, UUID environmentId, ContainerImageCreate request) {
        environments.get(caller, environmentId);
        ImageReference ref = RegistryAccess.imageName(request.imageName(), "imageName");
        TagFilter filter = tagFilter(request.tagFilter() == null ? TagFilter.DEFAULT : request.tagFilter());
        RegistryAuth auth = access.authFor(caller, request.registryConnectionId(), ref, CONNECTION);
        UpdateStrategy strategy = request.updateStrategy() == null ? UpdateStrategy.SEMVER : request.updateStrategy();
        requireStrategyFits(strategy, filter);
        requireNewRepository(caller, environmentId, ref);
        CheckOutcome outcome = discovery.discover(ref, filter, strategy, auth);
        return persistNew(caller, environmentId, request, ref, filter, strategy, outcome);
    }

    @Transactional
    ContainerImage persistNew(Caller caller, UUID environmentId, ContainerImageCreate request, ImageReference ref,
            TagFilter filter, UpdateStrategy strategy, CheckOutcome outcome) {
        requireNewRepository(caller, environmentId, ref);
        ContainerImage image = new ContainerImage();
        image.ownBy(caller.subject());
        image.environmentId = environmentId;
        image.name = request.name();
        image.imageName = ref.familiarName();
        image.imageRef = ref.registry() + "/" + ref.repository();
        image.tagFilter = filter.toString();
        image.registryConnectionId = request.registryConnectionId();
        image.autoUpdate = Boolean.TRUE.equals(request.autoUpdate());
        image.updateStrategy = strategy;
        image.minTagAgeMinutes = request.minTagAgeMinutes() == null ? 0 : request.minTagAgeMinutes();
        boolean discovered = applyFields(image, outcome); // before the insert: version stays 1
        images.persist(image);
        images.flush();
        if (discovered) {
            images.recordDiscovery(image, image.bestTag, image.latestDigest, image.lastCheckedAt);
        }
        events.announce(image, ContainerImageEvents.CheckState.NONE, caller.subject());
        return image;
    }

    /**
     * Stores a PATCH: {@code merge} computes the whole container image after the merge patch (bound
     * and validated as a creation body; its imageName is the current one) from the current row. A
     * PATCH that changes neither tagFilter, registryConnectionId nor updateStrategy is one
     * transaction: one read, the UPDATE of the changed columns (issue 15). One that changes them
     * runs discovery first, outside any transaction (registry calls never hold a connection), and
     * stores it in a second transaction if the row is still at the version it was computed from; a
     * registry failure is stored in lastCheckError, not answered.
     *
     * @throws ApiException 404; 409 when If-Match is not the current version or the row changed
     *                      meanwhile; 400 for a bad tagFilter or a registry connection that is not
     *                      for this image, or whatever {@code merge} throws
     */
    public ContainerImage patch(Caller caller, UUID id, Preconditions preconditions,
            Function<ContainerImage, ContainerImageCreate> merge) {
        PatchPlan plan = planPatch(caller, id, preconditions, merge);
        if (plan.stored() != null) {
            return plan.stored();
        }
        CheckOutcome outcome = discovery.discover(plan.ref(), plan.filter(), plan.target().updateStrategy(), plan.auth());
        return applyPatch(caller, id, plan.basedOn(), plan.target(), plan.filter(), outcome);
    }

    /** A PATCH either stored already ({@code stored}), or waiting for the discovery of its new settings. */
    record PatchPlan(ContainerImage stored, long basedOn, ContainerImageCreate target, TagFilter filter,
            ImageReference ref, RegistryAuth auth) {
    }

    @Transactional
    PatchPlan planPatch(Caller caller, UUID id, Preconditions preconditions,
            Function<ContainerImage, ContainerImageCreate> merge) {
        ContainerImage current = images.findByIdForUpdate(id, "Container image");
        preconditions.check(current.version);
        ContainerImageCreate target = merge.apply(current);
        TagFilter filter = tagFilter(target.tagFilter());
        UUID connectionId = target.registryConnectionId();
        UpdateStrategy strategy = target.updateStrategy();
        requireStrategyFits(strategy, filter);
        boolean rediscover = !filter.toString().equals(current.tagFilter)
                || !Objects.equals(connectionId, current.registryConnectionId) || strategy != current.updateStrategy;
        if (!rediscover) { // nothing to ask the registry: store it now, in this transaction
            return new PatchPlan(applyPatch(caller, id, current.version, target, filter, null), current.version,
                    target, filter, null, null);
        }
        ImageReference ref = ImageReference.parseName(current.imageRef);
        RegistryAuth auth = access.authFor(caller, connectionId, ref, CONNECTION); // 400 for a wrong connection
        return new PatchPlan(null, current.version, target, filter, ref, auth);
    }

    @Transactional
    ContainerImage applyPatch(Caller caller, UUID id, long expectedVersion, ContainerImageCreate target,
            TagFilter filter, CheckOutcome outcome) {
        ContainerImage image = images.findByIdForUpdate(id, "Container image");
        Preconditions.requireUnchanged("container image", expectedVersion, image.version);
        image.name = target.name();
        image.autoUpdate = target.autoUpdate();
        image.tagFilter = filter.toString();
        image.registryConnectionId = target.registryConnectionId();
        image.updateStrategy = target.updateStrategy();
        image.minTagAgeMinutes = target.minTagAgeMinutes();
        ContainerImageEvents.CheckState before = ContainerImageEvents.CheckState.of(image);
        if (outcome != null) {
            apply(image, outcome);
        }
        image.touchBy(caller.subject());
        images.flush();
        if (outcome != null) {
            events.announce(image, before, caller.subject());
        }
        return image;
    }

    @Transactional
    ContainerImage applyCheck(Caller caller, UUID id, String filter, UUID connectionId, UpdateStrategy strategy,
            CheckOutcome outcome) {
        ContainerImage image = get(caller, id);
        // a PATCH that changed what to look for meanwhile has stored its own discovery
        if (image.tagFilter.equals(filter) && Objects.equals(image.registryConnectionId, connectionId)
                && image.updateStrategy == strategy) {
            ContainerImageEvents.CheckState before = ContainerImageEvents.CheckState.of(image);
            apply(image, outcome);
            image.touchBy(caller.subject());
            images.flush();
            events.announce(image, before, caller.subject());
        }
        return image;
    }

    /** @throws ApiException 404; 409 for a stale If-Match, or while applications use it */
    @Transactional
    public void delete(Caller caller, UUID id, Preconditions preconditions) {
        ContainerImage image = images.findByIdForUpdate(id, "Container image");
        preconditions.check(image.version);
        images.deleteUnreferenced(image, "container image");
    }

    /** The repository's tags now, which match the filter, and what discovery saw before. */
    public ImageTags tags(Caller caller, UUID id) {
        ContainerImage image = get(caller, id);
        List<ContainerImageRepository.Discovery> history = history(image);
        ImageReference ref = ImageReference.parseName(image.imageRef);
        List<String> tags;
        try {
            tags = registry.tags(ref, access.authFor(caller, image.registryConnectionId, ref, CONNECTION));
        } catch (RegistryException e) {
            throw RegistryErrors.toApi(e, "imageName", "registryConnectionId");
        }
        TagFilter filter = tagFilter(image.tagFilter);
        Map<String, String> digests = new HashMap<>();
        for (var d : history) {
            digests.putIfAbsent(d.tag(), d.digest()); // newest first: the latest digest seen per tag
        }
        List<String> ordered = new ArrayList<>(tags);
        ordered.sort(TagOrder.ORDER.reversed());
        List<TagInfo> infos = ordered.stream()
                .map(t -> new TagInfo(t, filter.matches(t), t.equals(image.bestTag), digests.get(t))).toList();
        return new ImageTags(image.imageName, image.tagFilter, image.bestTag, infos.size(), infos,
                history.stream().map(d -> new DiscoveryInfo(d.tag(), d.digest(), d.discoveredAt())).toList());
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    List<ContainerImageRepository.Discovery> history(ContainerImage image) {
        return images.history(image);
    }

    // ---------------------------------------------------------------------------------------

    private void apply(ContainerImage image, CheckOutcome outcome) {
        if (applyFields(image, outcome)) {
            images.recordDiscovery(image, image.bestTag, image.latestDigest, image.lastCheckedAt);
        }
    }

    /** Stores the outcome in the image's fields; true when the best tag or its digest changed. */
    private boolean applyFields(ContainerImage image, CheckOutcome outcome) {
        image.lastCheckedAt = DbTime.now();
        if (outcome.failure() != null) {
            image.lastCheckError = outcome.failure().getMessage();
            return false;
        }
        if (outcome.bestTag() == null) {
            image.lastCheckError = "None of the " + outcome.tagCount() + " tags of " + image.imageName
                    + " matches the filter \"" + image.tagFilter + "\".";
            image.bestTag = null;
            image.latestDigest = null;
            image.exposedPorts = new ArrayList<>();
            image.platforms = new ArrayList<>();
            image.updateAvailable = false;
            return false;
        }
        ImageDetails details = outcome.details();
        boolean changed = !outcome.bestTag().equals(image.bestTag) || !details.digest().equals(image.latestDigest);
        image.lastCheckError = null;
        image.bestTag = outcome.bestTag();
        image.latestDigest = details.digest();
        image.exposedPorts = new ArrayList<>(details.exposedPorts());
        image.platforms = new ArrayList<>(details.platforms().stream().map(Object::toString).toList());
        image.updateAvailable = updateAvailable(image);
        return changed;
    }

    /**
     * True when the environment's applications run this repository at another digest than the
     * best tag's; false when none runs it, so there is never a false alarm.
     */
    private boolean updateAvailable(ContainerImage image) {
        if (image.latestDigest == null) {
            return false;
        }
        return running.stream().flatMap(r -> r.running(image.environmentId, image.imageRef).stream())
                .anyMatch(digest -> !digest.equals(image.latestDigest));
    }

    /** Recomputes updateAvailable after applications of the environment changed what they run. */
    @Transactional
    public void refreshUpdateAvailable(UUID environmentId, String imageRef) {
        images.list("environmentId = ?1 and imageRef = ?2", environmentId, imageRef)
                .forEach(image -> image.updateAvailable = updateAvailable(image));
    }

    /** The container image tracking this repository in the environment, if any. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public java.util.Optional<UUID> trackedIn(UUID environmentId, String imageRef) {
        return images.find("environmentId = ?1 and imageRef = ?2", environmentId, imageRef)
                .firstResultOptional().map(i -> i.id);
    }

    private void requireNewRepository(Caller caller, UUID environmentId, ImageReference ref) {
        if (images.exists("environmentId = ?1 and imageRef = ?2", environmentId, ref.registry() + "/" + ref.repository())) {
            throw new ApiException(ErrorCode.CONFLICT, "The environment already tracks " + ref.familiarName() + ".",
                    "imageName", "Update the existing container image instead.");
        }
    }

    /** The digest strategy follows one tag: its filter must name exactly one. */
    private static void requireStrategyFits(UpdateStrategy strategy, TagFilter filter) {
        if (strategy == UpdateStrategy.DIGEST && filter.singleTag() == null) {
            throw ApiException.validation("updateStrategy", "The digest strategy follows one tag, but tagFilter \""
                    + filter + "\" can match several.", "Set tagFilter to the one tag to follow, e.g. latest or stable.");
        }
    }

    private static TagFilter tagFilter(String text) {
        try {
            return TagFilter.parse(text);
        } catch (TagFilter.InvalidFilterException e) {
            throw ApiException.validation("tagFilter", e.getMessage(), e.hint());
        }
    }
}
