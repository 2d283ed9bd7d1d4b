package io.berth.environment;

import java.util.UUID;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.berth.api.ApiException;
import io.berth.api.Page;
import io.berth.api.PageRequest;
import io.berth.api.Preconditions;
import io.berth.environment.EnvironmentDtos.EnvironmentCreate;
import io.berth.security.Caller;

/**
 * Rules of environments: names unique per company (ignoring case), tier required, the
 * autoUpdatePolicy defaulted by tier at creation (approve for production, auto otherwise; a later
 * tier change keeps it), and no delete while container images or applications live in it.
 */
@ApplicationScoped
public class EnvironmentService {

    private final EnvironmentRepository environments;

    public EnvironmentService(EnvironmentRepository environments) {
        this.environments = environments;
    }

    /** One page of the company's environments, creation order. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Page<Environment> list(Caller caller, PageRequest page) {
        return environments.page(page, null, EnvironmentRepository.CREATION_ORDER);
    }

    /** @throws ApiException 404 for an unknown environment or another company's */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Environment get(Caller caller, UUID id) {
        return environments.findByIdOptional(id).orElseThrow(() -> ApiException.notFound("Environment " + id));
    }

    /** @throws ApiException 409 when the name is taken in the company (case-insensitively) */
    @Transactional
    public Environment create(Caller caller, EnvironmentCreate request) {
        String name = request.name();
        requireUniqueName(caller, name, null);
        Environment environment = new Environment();
        environment.ownBy(caller.subject());
        environment.name = name;
        environment.description = request.description();
        environment.tier = request.tier() == null ? Tier.DEVELOPMENT : request.tier();
        environment.autoUpdatePolicy = request.autoUpdatePolicy() == null
                ? AutoUpdatePolicy.defaultFor(environment.tier) : request.autoUpdatePolicy();
        environments.persist(environment);
        environments.flush();
        return environment;
    }

    /**
     * Stores a PATCH in one transaction: reads the environment once, checks If-Match, lets
     * {@code merge} compute the whole environment after the merge patch (bound and validated as a
     * creation body) from it, and writes the columns that changed. The read and the write share the
     * transaction (issue 15: no read outside it, one connection); the read locks the row, so
     * concurrent PATCHes take turns instead of failing each other (ConcurrentWritesTest).
     *
     * @throws ApiException 404, 409 when If-Match is not the current version or the new name is taken;
     *                      whatever {@code merge} throws (400) leaves the row as it was
     */
    @Transactional
    public Environment patch(Caller caller, UUID id, Preconditions preconditions,
            Function<Environment, EnvironmentCreate> merge) {
        Environment environment = environments.findByIdForUpdate(id, "Environment");
        preconditions.check(environment.version);
        EnvironmentCreate target = merge.apply(environment);
        if (!target.name().equalsIgnoreCase(environment.name)) {
            requireUniqueName(caller, target.name(), id);
        }
        environment.name = target.name();
        environment.description = target.description();
        environment.tier = target.tier();
        if (target.autoUpdatePolicy() != null) { // the merged view always has one; a tier change keeps it
            environment.autoUpdatePolicy = target.autoUpdatePolicy();
        }
        environment.touchBy(caller.subject());
        environments.flush();
        return environment;
    }

    /** @throws ApiException 404; 409 for a stale If-Match, or while applications or container images are in it */
    @Transactional
    public void delete(Caller caller, UUID id, Preconditions preconditions) {
        Environment environment = environments.findByIdForUpdate(id, "Environment");
        preconditions.check(environment.version);
        environments.deleteUnreferenced(environment, "environment");
    }

    private void requireUniqueName(Caller caller, String name, UUID except) {
        if (environments.nameTaken(name, except)) {
            throw new ApiException(io.berth.api.ErrorCode.CONFLICT, "An environment named \"" + name
                    + "\" already exists.", "name", "Choose another name, or update the existing environment.");
        }
    }
}
