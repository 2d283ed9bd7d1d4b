package io.berth.update;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.berth.api.ApiException;
import io.berth.application.Application;
import io.berth.application.ApplicationRollouts;
import io.berth.connection.RegistryErrors;
import io.berth.environment.AutoUpdatePolicy;
import io.berth.environment.EnvironmentService;
import io.berth.image.CheckOutcome;
import io.berth.image.ContainerImage;
import io.berth.image.ContainerImageChecks;
import io.berth.image.ContainerImageChecks.Checked;
import io.berth.image.TagFilter;
import io.berth.image.TagVariants;
import io.berth.image.UpdateStrategy;
import io.berth.registry.ImageDetails;
import io.berth.registry.ImageReference;
import io.berth.registry.RegistryClient;
import io.berth.registry.RegistryException;
import io.berth.security.Caller;
import io.berth.update.RolloutDtos.Action;
import io.berth.update.RolloutDtos.RolloutStep;
import io.quarkus.logging.Log;

/**
 * check-updates with rollout: discovery, then, for an image with {@code autoUpdate}, every live
 * application of its environment linked to it ({@code containerImageId}) moves to its candidate,
 * each in its own transaction. The rules, per application:
 * <ul>
 * <li>the candidate is the strategy's best among the matching tags with the application's own
 * variant suffix ({@code 1.25-alpine} moves among {@code *-alpine}; a plain version never to a
 * variant, see {@link TagVariants});</li>
 * <li>never backwards: a candidate the strategy ranks below the application's tag is skipped;</li>
 * <li>platform coverage: a candidate lacking a platform of the application's current image is skipped;</li>
 * <li>minimum age: a candidate younger than {@code minTagAgeMinutes} (image config {@code created},
 * else when discovery first saw it) waits, shown as the image's {@code pendingUpdate};</li>
 * <li>the digest stored is the one checked (the index digest for multi-platform images);</li>
 * <li>a user's concurrent change wins (the application's version must be unchanged);</li>
 * <li>the environment's autoUpdatePolicy decides what happens to a candidate that passed the rules:
 * {@code auto} moves the application, {@code approve} proposes it as a pending update
 * ({@link PendingUpdates}), {@code off} skips it.</li>
 * </ul>
 * A registry failure changes no application.
 */
@ApplicationScoped
public class Rollouts {

    /** Who the history shows for changes made by the engine. */
    public static final String SUBJECT = "system:auto-update";

    private final ContainerImageChecks images;
    private final ApplicationRollouts applications;
    private final RegistryClient registry;
    private final UpdateMetrics metrics;
    private final EnvironmentService environments;
    private final PendingUpdates approvals;

    public Rollouts(ContainerImageChecks images, ApplicationRollouts applications, RegistryClient registry,
            UpdateMetrics metrics, EnvironmentService environments, PendingUpdates approvals) {
        this.images = images;
        this.applications = applications;
        this.registry = registry;
        this.metrics = metrics;
        this.environments = environments;
        this.approvals = approvals;
    }

    /** The image after a check, and the rollout: planned (dry run) or done. */
    public record Report(ContainerImage image, List<RolloutStep> steps) {
    }

    /**
     * Checks the image now and rolls its linked applications forward (only with autoUpdate). A dry
     * run stores nothing and answers the plan.
     *
     * @throws ApiException 404; the registry's failure as {@link RegistryErrors} maps it (after
     *                      storing it in lastCheckError, unless a dry run)
     */
    public Report check(Caller caller, UUID imageId, boolean dryRun) {
        return check(caller, imageId, dryRun, false);
    }

    /**
     * A check the scheduler runs: as {@link #check}, except that a registry that rate-limits it
     * stores nothing (the image was not checked, and did not fail).
     *
     * @throws RateLimited when the registry answered 429 to the check
     */
    public Report checkScheduled(Caller caller, UUID imageId) {
        return check(caller, imageId, false, true);
    }

    /** The registry rate-limited a scheduled check; nothing was stored. */
    public static final class RateLimited extends RuntimeException {
        private final long retryAfterSeconds;

        RateLimited(RegistryException cause) {
            super(cause.getMessage(), cause, false, false);
            this.retryAfterSeconds = cause.retryAfterSeconds() > 0 ? cause.retryAfterSeconds() : 60;
        }

        /** What the registry's Retry-After said (60 when nothing). */
        public long retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }

    private Report check(Caller caller, UUID imageId, boolean dryRun, boolean scheduled) {
        metrics.started();
        try {
            return checkNow(caller, imageId, dryRun, scheduled);
        } finally {
            metrics.finished();
        }
    }

    private Report checkNow(Caller caller, UUID imageId, boolean dryRun, boolean scheduled) {
        Checked checked = images.check(caller, imageId);
        CheckOutcome outcome = checked.outcome();
        if (scheduled && outcome.failure() != null && outcome.failure().kind() == RegistryException.Kind.RATE_LIMITED) {
            throw new RateLimited(outcome.failure());
        }
        ContainerImage image = dryRun ? checked.image() : images.store(caller, checked);
        if (!dryRun) {
            metrics.checked(outcome.failure() == null);
        }
        if (outcome.failure() != null) {
            throw RegistryErrors.toApi(outcome.failure(), "imageName", "registryConnectionId");
        }
        List<Plan> plans = plan(checked);
        AutoUpdatePolicy policy = plans.stream().anyMatch(p -> p.step().action() == Action.UPDATE)
                ? environments.get(caller, image.environmentId).autoUpdatePolicy : AutoUpdatePolicy.AUTO;
        List<RolloutStep> steps = new ArrayList<>();
        boolean moved = false;
        for (Plan plan : plans) {
            RolloutStep step = plan.step();
            if (step.action() == Action.UPDATE && policy == AutoUpdatePolicy.OFF) {
                step = step.as(Action.SKIP, "autoUpdatePolicy is off for this environment.", null);
            } else if (step.action() == Action.UPDATE && policy == AutoUpdatePolicy.APPROVE) {
                step = dryRun ? approvals.preview(plan.app(), step) : propose(image, plan.app(), step);
            }
            if (!dryRun && step.action() == Action.UPDATE) {
                Boolean rolled;
                try {
                    rolled = applications.rollForward(image.environmentId, plan.app().id, plan.app().version, step.toTag(),
                            step.toDigest(), SUBJECT);
                } catch (RuntimeException e) { // one application's failure (e.g. the database) does not stop the others
                    Log.warnf("Auto-update of %s: application %s could not move to %s: %s", image.imageName,
                            plan.app().name, step.toTag(), e.getMessage());
                    rolled = null;
                }
                if (rolled == null) {
                    step = new RolloutStep(step.applicationId(), step.fromTag(), step.toTag(), step.toDigest(),
                            Action.SKIP, "Moving the application failed; the next check tries again.");
                    metrics.rollout("failed");
                } else if (rolled) {
                    moved = true;
                    metrics.rollout("updated");
                    supersedeFor(image, plan.app());
                    Log.infof("Auto-update of %s: application %s %s -> %s (%s)", image.imageName, plan.app().name,
                            step.fromTag(), step.toTag(), step.toDigest());
                } else {
                    step = step.as(Action.SKIP, "The application changed meanwhile; the next check decides again.", null);
                    metrics.rollout("conflict");
                }
            } else if (!dryRun) {
                metrics.rollout(step.action() == Action.PROPOSE ? "proposed"
                        : PROPOSING_FAILED.equals(step.reason()) ? "failed" : "skipped");
            }
            steps.add(step);
        }
        if (!dryRun) {
            Pending pending = plans.stream().map(Plan::pending).filter(p -> p != null).findFirst().orElse(null);
            image = images.recordRollout(caller, imageId, moved,
                    pending == null ? null : pending.tag(), pending == null ? null : pending.digest(),
                    pending == null ? null : pending.eligibleAt());
        }
        return new Report(image, steps);
    }

    private static final String PROPOSING_FAILED = "Proposing the update failed; the next check tries again.";

    /**
     * Proposes the step for approval; another check proposing for the application at the same moment
     * wins, and a failure (e.g. the database) skips this application only, as a failed move does.
     */
    private RolloutStep propose(ContainerImage image, Application app, RolloutStep step) {
        try {
            return approvals.propose(image.id, app, step);
        } catch (RuntimeException e) {
            if (PendingUpdates.isRace(e)) {
                return step.as(Action.SKIP, "Another check proposed an update for this application meanwhile; "
                        + "the next check decides again.", null);
            }
            Log.warnf("Auto-update of %s: proposing %s for application %s failed: %s", image.imageName, step.toTag(),
                    app.name, e.getMessage());
            return step.as(Action.SKIP, PROPOSING_FAILED, null);
        }
    }

    /** After an auto rollout: what waited for approval for the application is moot (a failure only warns). */
    private void supersedeFor(ContainerImage image, Application app) {
        try {
            approvals.supersedeFor(app.id, SUBJECT);
        } catch (RuntimeException e) {
            Log.warnf("Auto-update of %s: superseding the pending update of application %s failed: %s",
                    image.imageName, app.name, e.getMessage());
        }
    }

    private record Pending(String tag, String digest, OffsetDateTime eligibleAt) {
    }

    private record Plan(Application app, RolloutStep step, Pending pending) {
    }

    private List<Plan> plan(Checked checked) {
        ContainerImage image = checked.image();
        List<Application> linked = applications.linkedTo(image.environmentId, image.id);
        if (linked.isEmpty()) {
            return List.of();
        }
        Map<String, Optional<ImageDetails>> byReference = new HashMap<>();
        List<Plan> plans = new ArrayList<>();
        for (Application app : linked) {
            plans.add(planOne(image, checked, app, byReference));
        }
        return plans;
    }

    private Plan planOne(ContainerImage image, Checked checked, Application app,
            Map<String, Optional<ImageDetails>> byReference) {
        if (!image.autoUpdate) {
            return skip(app, null, null, "autoUpdate is off for this container image.");
        }
        UpdateStrategy strategy = image.updateStrategy;
        TagFilter filter = TagFilter.parse(image.tagFilter);
        if (strategy == UpdateStrategy.DIGEST && !app.imageTag.equals(filter.singleTag())) {
            return skip(app, null, null, "The digest strategy follows " + filter.singleTag() + " only; the application runs "
                    + app.imageTag + ".");
        }
        if (strategy == UpdateStrategy.NUMERICAL && !strategy.orders(app.imageTag)) {
            return skip(app, null, null, "The numerical strategy moves integer tags only; the application runs "
                    + app.imageTag + ".");
        }
        // variants are a property of version tags; the other strategies rank names that are no versions
        boolean byVariant = strategy == UpdateStrategy.SEMVER || strategy == UpdateStrategy.NEWEST_BUILD;
        String variant = TagVariants.suffix(app.imageTag);
        List<String> sameVariant = !byVariant ? checked.outcome().matches() : checked.outcome().matches().stream()
                .filter(t -> java.util.Objects.equals(TagVariants.suffix(t), variant)).toList();
        String candidate = strategy.best(sameVariant, filter,
                tag -> created(details(checked, tag, byReference))).orElse(null);
        if (candidate == null) {
            return skip(app, null, null, !byVariant ? "No tag matches the filter." : variant == null || variant.isEmpty()
                    ? "No matching tag without a variant suffix." : "No matching tag with the variant suffix -" + variant + ".");
        }
        if (strategy.orders(candidate) && strategy.orders(app.imageTag)
                && strategy.order().compare(candidate, app.imageTag) < 0) {
            return skip(app, candidate, null, "The application runs a newer tag (" + app.imageTag + ") than the candidate.");
        }
        Optional<ImageDetails> target = details(checked, candidate, byReference);
        if (target.isEmpty()) {
            return skip(app, candidate, null, "The registry did not answer for " + candidate + ".");
        }
        String digest = target.get().digest();
        if (digest.equals(app.imageDigest)) {
            return skip(app, candidate, digest, "Up to date.");
        }
        Optional<ImageDetails> current = details(checked, app.imageDigest, byReference);
        if (current.isPresent()) {
            List<String> missing = current.get().platforms().stream().map(Object::toString)
                    .filter(p -> target.get().platforms().stream().map(Object::toString).noneMatch(p::equals)).toList();
            if (!missing.isEmpty()) {
                return skip(app, candidate, digest, candidate + " lacks platform " + String.join(", ", missing)
                        + " that the application's current image has.");
            }
        }
        OffsetDateTime eligibleAt = eligibleAt(image, candidate, digest, target.get());
        if (eligibleAt.isAfter(now())) {
            return new Plan(app, new RolloutStep(app.id, app.imageTag, candidate, digest, Action.SKIP,
                    "Waits for minTagAgeMinutes until " + eligibleAt + "."), new Pending(candidate, digest, eligibleAt));
        }
        return new Plan(app, new RolloutStep(app.id, app.imageTag, candidate, digest, Action.UPDATE, null), null);
    }

    /** Image config {@code created}, else when discovery first saw the tag (or the pending record), else now. */
    private OffsetDateTime eligibleAt(ContainerImage image, String tag, String digest, ImageDetails details) {
        OffsetDateTime seen = details.created();
        if (seen == null && tag.equals(image.pendingTag) && digest.equals(image.pendingDigest)) {
            return image.pendingEligibleAt;
        }
        if (seen == null) {
            seen = images.firstSeen(image, tag).orElse(now());
        }
        return seen.plusMinutes(image.minTagAgeMinutes).truncatedTo(ChronoUnit.MICROS);
    }

    private static Plan skip(Application app, String toTag, String toDigest, String reason) {
        return new Plan(app, new RolloutStep(app.id, app.imageTag, toTag, toDigest, Action.SKIP, reason), null);
    }

    /** Details of a tag or digest of the checked repository, read once per check; empty on a registry failure. */
    private Optional<ImageDetails> details(Checked checked, String reference, Map<String, Optional<ImageDetails>> cache) {
        if (reference.equals(checked.outcome().bestTag())) {
            return Optional.of(checked.outcome().details());
        }
        return cache.computeIfAbsent(reference, r -> {
            ImageReference ref = checked.ref();
            ImageReference target = r.contains(":") ? ref.withDigest(r) : ref.withTag(r);
            try {
                return Optional.of(registry.inspect(target, checked.auth()));
            } catch (RegistryException e) {
                Log.debugf("Auto-update could not read %s: %s", target, e.getMessage());
                return Optional.empty();
            }
        });
    }

    private static Instant created(Optional<ImageDetails> details) {
        return details.map(ImageDetails::created).map(OffsetDateTime::toInstant).orElse(null);
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }
}
