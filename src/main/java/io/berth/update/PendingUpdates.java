package io.berth.update;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.berth.api.ApiException;
import io.berth.api.Page;
import io.berth.api.PageRequest;
import io.berth.api.Preconditions;
import io.berth.application.Application;
import io.berth.application.ApplicationRollouts;
import io.berth.connection.RegistryAccess;
import io.berth.connection.RegistryErrors;
import io.berth.environment.EnvironmentService;
import io.berth.event.EventType;
import io.berth.event.Events;
import io.berth.persistence.DbTime;
import io.berth.registry.ImageReference;
import io.berth.registry.RegistryAuth;
import io.berth.registry.RegistryClient;
import io.berth.registry.RegistryException;
import io.berth.security.Caller;
import io.berth.update.PendingUpdate.Status;
import io.berth.update.PendingUpdateDtos.PendingUpdateView;
import io.berth.update.RolloutDtos.Action;
import io.berth.update.RolloutDtos.RolloutStep;
import io.quarkus.logging.Log;

/**
 * Approval gates: under an environment's autoUpdatePolicy {@code approve}, a rollout step becomes a
 * pending update instead of a move. The rules:
 * <ul>
 * <li>one pending update per application: a newer candidate supersedes the older one (the unique
 * index {@code pending_updates_one_pending_uq} settles two checks racing);</li>
 * <li>a candidate (application, digest) a person rejected is never proposed again; a newer one is;</li>
 * <li>approve checks the candidate against the registry again: the tag must still give the proposed
 * digest and the application must still run what it ran when proposed; otherwise 409 and the
 * pending update is superseded (so the next check proposes the current candidate anew);</li>
 * <li>approve moves the application like auto-update does (version checked, history entry), with the
 * approver as changedBy;</li>
 * <li>each step is a change event in its transaction: io.berth.update.pending, .approved, .rejected.</li>
 * </ul>
 */
@ApplicationScoped
public class PendingUpdates {

    /** The field a failing registry answer at approval names: the application's own connection. */
    private static final String CONNECTION_FIELD = "source.containerRegistryId";

    private final PendingUpdateRepository pending;
    private final EnvironmentService environments;
    private final ApplicationRollouts applications;
    private final RegistryAccess access;
    private final RegistryClient registry;
    private final Events events;

    public PendingUpdates(PendingUpdateRepository pending, EnvironmentService environments,
            ApplicationRollouts applications, RegistryAccess access, RegistryClient registry, Events events) {
        this.pending = pending;
        this.environments = environments;
        this.applications = applications;
        this.access = access;
        this.registry = registry;
        this.events = events;
    }

    // ---- what a rollout step becomes under approve ---------------------------------------

    /** What {@link #propose} would answer for an update step, storing nothing (a dry run). */
    @Transactional(Transactional.TxType.SUPPORTS)
    public RolloutStep preview(Application app, RolloutStep step) {
        Optional<RolloutStep> refused = refused(app, step);
        if (refused.isPresent()) {
            return refused.get();
        }
        Optional<PendingUpdate> existing = pending.pendingFor(app.id);
        if (existing.isPresent() && same(existing.get(), app, step)) {
            return awaiting(step, existing.get());
        }
        return step.as(Action.PROPOSE, "autoUpdatePolicy is approve: the candidate would be proposed for approval"
                + existing.map(p -> ", superseding pending update " + p.id).orElse("") + ".", null);
    }

    /**
     * Turns an update step into a pending update, in one transaction: nothing new when the same
     * candidate already waits; the application's older pending update superseded by a newer
     * candidate; a rejected candidate skipped.
     *
     * @param containerImageId the image whose check proposes it
     */
    @Transactional
    public RolloutStep propose(UUID containerImageId, Application app, RolloutStep step) {
        Optional<RolloutStep> refused = refused(app, step);
        if (refused.isPresent()) {
            return refused.get();
        }
        PendingUpdate older = pending.pendingFor(app.id).orElse(null);
        if (older != null && same(older, app, step)) {
            return awaiting(step, older);
        }
        if (older != null) {
            decide(older, Status.SUPERSEDED, Rollouts.SUBJECT);
            pending.flush(); // before the insert: the unique index allows one pending update per application
        }
        PendingUpdate proposal = new PendingUpdate();
        proposal.ownBy(Rollouts.SUBJECT);
        proposal.environmentId = app.environmentId;
        proposal.applicationId = app.id;
        proposal.containerImageId = containerImageId;
        proposal.imageName = app.imageName;
        proposal.fromTag = app.imageTag;
        proposal.fromDigest = app.imageDigest;
        proposal.toTag = step.toTag();
        proposal.toDigest = step.toDigest();
        pending.persist(proposal);
        pending.flush();
        Map<String, Object> extra = new LinkedHashMap<>();
        if (older != null) {
            extra.put("supersedes", older.id.toString());
        }
        record(proposal, EventType.UPDATE_PENDING, Rollouts.SUBJECT, extra);
        Log.infof("Auto-update of %s: application %s %s -> %s (%s) proposed for approval as %s", app.imageName, app.name,
                step.fromTag(), step.toTag(), step.toDigest(), proposal.id);
        return step.as(Action.PROPOSE, "autoUpdatePolicy is approve: proposed as pending update " + proposal.id
                + (older != null ? " (superseding " + older.id + ")" : "") + "; approve or reject it with POST "
                + "/api/environments/" + app.environmentId + "/pending-updates/" + proposal.id + "/approve or /reject.",
                proposal.id);
    }

    /** The application moved by other means (auto-update after a policy change): what waited for it is moot. */
    @Transactional
    public void supersedeFor(UUID applicationId, String changedBy) {
        pending.pendingFor(applicationId).ifPresent(p -> decide(p, Status.SUPERSEDED, changedBy));
        pending.flush();
    }

    /** Whether a pending update or insert collided with another check's proposal for the same application. */
    static boolean isRace(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains("pending_updates_one_pending_uq")) {
                return true;
            }
        }
        return false;
    }

    private Optional<RolloutStep> refused(Application app, RolloutStep step) {
        return pending.rejection(app.id, step.toDigest()).map(r -> step.as(Action.SKIP, step.toTag() + " ("
                + step.toDigest() + ") was rejected by " + r.decidedBy + " at " + r.decidedAt
                + "; a newer candidate will be proposed.", null));
    }

    /** Whether a pending update already proposes this move: the same candidate, from what the application runs now. */
    private static boolean same(PendingUpdate proposal, Application app, RolloutStep step) {
        return proposal.toDigest.equals(step.toDigest()) && proposal.toTag.equals(step.toTag()) && runsFrom(app, proposal);
    }

    private static RolloutStep awaiting(RolloutStep step, PendingUpdate existing) {
        return step.as(Action.PROPOSE, "autoUpdatePolicy is approve: awaiting approval as pending update "
                + existing.id + " since " + existing.createdAt + ".", existing.id);
    }

    // ---- the routes ----------------------------------------------------------------------

    /**
     * The environment's pending updates with {@code status} (null: every status), newest first.
     *
     * @throws ApiException 404 for an unknown environment or another company's
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Page<PendingUpdate> list(Caller caller, UUID environmentId, Status status, PageRequest page) {
        environments.get(caller, environmentId);
        return pending.list(environmentId, status, page);
    }

    /** @throws ApiException 404 for an unknown environment or pending update, or another company's */
    @Transactional(Transactional.TxType.SUPPORTS)
    public PendingUpdate get(Caller caller, UUID environmentId, UUID id) {
        environments.get(caller, environmentId);
        return pending.findIn(environmentId, id).orElseThrow(() -> ApiException.notFound("Pending update " + id));
    }

    /**
     * Approves a pending update: checks the candidate against the registry again (outside any
     * transaction), then moves the application to it with the caller as changedBy and marks the
     * pending update approved, in one transaction with both change events.
     *
     * @throws ApiException 404; 409 when it is not pending, or is stale (the tag now gives another
     *                      digest or is gone, the application was deleted or runs another image:
     *                      it is then superseded, and the next check proposes anew), or changed
     *                      meanwhile; the registry's failures as {@link RegistryErrors} maps them
     *                      (503 when unreachable: it stays pending)
     */
    public PendingUpdate approve(Caller caller, UUID environmentId, UUID id) {
        PendingUpdate proposal = get(caller, environmentId, id);
        requirePending(proposal);
        Application app = applications.live(environmentId, proposal.applicationId).orElse(null);
        if (app == null) {
            throw stale(caller, proposal, "The application of pending update " + id + " was deleted.");
        }
        if (!runsFrom(app, proposal)) {
            throw stale(caller, proposal, "The application now runs " + app.imageName + ":" + app.imageTag + " ("
                    + app.imageDigest + "), not " + proposal.fromTag + " (" + proposal.fromDigest
                    + ") as when the update was proposed.");
        }
        ImageReference ref = ImageReference.parseName(app.imageRef);
        RegistryAuth auth = access.authFor(caller, app.registryConnectionId, ref, CONNECTION_FIELD);
        String digest;
        try {
            digest = registry.head(ref.withTag(proposal.toTag), auth).digest();
        } catch (RegistryException e) {
            if (e.kind() == RegistryException.Kind.NOT_FOUND) {
                throw stale(caller, proposal, "The tag " + proposal.toTag + " of " + proposal.imageName
                        + " no longer exists in the registry.");
            }
            throw RegistryErrors.toApi(e, "toTag", CONNECTION_FIELD);
        }
        if (!digest.equals(proposal.toDigest)) {
            throw stale(caller, proposal, "The tag " + proposal.toTag + " of " + proposal.imageName + " now gives "
                    + digest + ", not the proposed " + proposal.toDigest + ".");
        }
        return approveChecked(caller, environmentId, id, proposal.version);
    }

    // Called from this bean (approve): ArC intercepts self-invocation, so this is its own transaction.
    @Transactional
    PendingUpdate approveChecked(Caller caller, UUID environmentId, UUID id, long basedOn) {
        PendingUpdate proposal = get(caller, environmentId, id);
        requirePending(proposal);
        Preconditions.requireUnchanged("pending update", basedOn, proposal.version);
        Application app = applications.live(environmentId, proposal.applicationId).orElse(null);
        if (app == null || !runsFrom(app, proposal)
                || !applications.rollForward(environmentId, app.id, app.version, proposal.toTag, proposal.toDigest,
                        caller.subject())) {
            throw ApiException.conflict("The application changed while the update was being approved.",
                    "Re-read the pending update and the application, then approve again.");
        }
        decide(proposal, Status.APPROVED, caller.subject());
        pending.flush();
        record(proposal, EventType.UPDATE_APPROVED, caller.subject(), Map.of());
        return proposal;
    }

    /**
     * Rejects a pending update: its candidate is not proposed again for the application (a newer
     * one is).
     *
     * @throws ApiException 404; 409 when it is not pending
     */
    @Transactional
    public PendingUpdate reject(Caller caller, UUID environmentId, UUID id) {
        PendingUpdate proposal = get(caller, environmentId, id);
        requirePending(proposal);
        decide(proposal, Status.REJECTED, caller.subject());
        pending.flush();
        record(proposal, EventType.UPDATE_REJECTED, caller.subject(), Map.of());
        return proposal;
    }

    /** Marks a stale pending update superseded (committed), and answers the 409 that says why. */
    private ApiException stale(Caller caller, PendingUpdate proposal, String why) {
        supersede(caller, proposal.environmentId, proposal.id, proposal.version);
        return ApiException.conflict(why + " Pending update " + proposal.id + " is superseded; the next check "
                + "proposes the current candidate.", "Run POST /api/container-images/{id}/check-updates to propose "
                + "it now, then approve the new pending update.");
    }

    @Transactional
    void supersede(Caller caller, UUID environmentId, UUID id, long basedOn) {
        pending.findIn(environmentId, id).filter(p -> p.status == Status.PENDING && p.version == basedOn)
                .ifPresent(p -> decide(p, Status.SUPERSEDED, caller.subject()));
        pending.flush();
    }

    private static boolean runsFrom(Application app, PendingUpdate proposal) {
        return app.imageTag.equals(proposal.fromTag) && app.imageDigest.equals(proposal.fromDigest);
    }

    private static void requirePending(PendingUpdate proposal) {
        if (proposal.status != Status.PENDING) {
            throw ApiException.conflict("Pending update " + proposal.id + " is " + proposal.status.name().toLowerCase(
                    java.util.Locale.ROOT) + ", not pending" + (proposal.decidedBy == null ? "" : " (by "
                            + proposal.decidedBy + " at " + proposal.decidedAt + ")") + ".",
                    "Only pending updates can be approved or rejected; list them with GET "
                            + "/api/environments/{envId}/pending-updates.");
        }
    }

    private static void decide(PendingUpdate proposal, Status status, String by) {
        proposal.status = status;
        proposal.decidedAt = DbTime.now();
        proposal.decidedBy = by;
        proposal.touchBy(by);
    }

    private void record(PendingUpdate proposal, EventType type, String changedBy, Map<String, Object> extra) {
        Map<String, Object> data = new LinkedHashMap<>(extra);
        data.put("fromTag", proposal.fromTag);
        data.put("toTag", proposal.toTag);
        data.put("fromDigest", proposal.fromDigest);
        data.put("toDigest", proposal.toDigest);
        events.record(proposal.companyId(), proposal.environmentId, type, proposal.id, PendingUpdateView.of(proposal),
                changedBy, data);
    }
}
