package io.berth.environment;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.berth.api.ApiException;
import io.berth.api.JsonBodies.Bound;
import io.berth.api.Page;
import io.berth.api.PageRequest;
import io.berth.api.Preconditions;
import io.berth.environment.EnvironmentDtos.EnvironmentCreate;
import io.berth.environment.EnvironmentDtos.EnvironmentPatch;
import io.berth.security.Caller;

/**
 * Rules of environments: names unique per company (ignoring case), tier required, and no delete
 * while container images or applications live in it.
 */
@ApplicationScoped
public class EnvironmentService {

    private final EnvironmentRepository environments;

    public EnvironmentService(EnvironmentRepository environments) {
        this.environments = environments;
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Page<Environment> list(Caller caller, PageRequest page) {
        return environments.page(page, null, EnvironmentRepository.CREATION_ORDER);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Environment get(Caller caller, UUID id) {
        return environments.findByIdOptional(id).orElseThrow(() -> ApiException.notFound("Environment " + id));
    }

    @Transactional
    public Environment create(Caller caller, EnvironmentCreate request) {
        String name = request.name();
        requireUniqueName(caller, name, null);
        Environment environment = new Environment();
        environment.ownBy(caller.subject());
        environment.name = name;
        environment.description = request.description();
        environment.tier = request.tier() == null ? Tier.DEVELOPMENT : request.tier();
        environments.persist(environment);
        environments.flush();
        return environment;
    }

    @Transactional
    public Environment patch(Caller caller, UUID id, Bound<EnvironmentPatch> patch, Preconditions preconditions) {
        Environment environment = get(caller, id);
        preconditions.check(environment.version);
        EnvironmentPatch values = patch.value();
        if (patch.has("name")) {
            if (values.name() == null) {
                throw ApiException.validation("name", "name cannot be null.", "Send a name of 1 to 50 characters.");
            }
            String name = values.name();
            if (!name.equalsIgnoreCase(environment.name)) {
                requireUniqueName(caller, name, id);
            }
            environment.name = name;
        }
        if (patch.has("description")) {
            environment.description = values.description();
        }
        if (patch.has("tier")) {
            if (values.tier() == null) {
                throw ApiException.validation("tier", "tier cannot be null.",
                        "Use one of development, staging, production.");
            }
            environment.tier = values.tier();
        }
        environment.touchBy(caller.subject());
        environments.flush();
        return environment;
    }

    @Transactional
    public void delete(Caller caller, UUID id, Preconditions preconditions) {
        Environment environment = get(caller, id);
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
