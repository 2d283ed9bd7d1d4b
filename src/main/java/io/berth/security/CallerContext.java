package io.berth.security;

import jakarta.enterprise.context.RequestScoped;

import io.berth.api.ExceptionMappers;
import io.berth.persistence.CurrentTenant;

/**
 * The caller of the current request, set by {@link AccessFilter} once the token is checked; setting
 * it also makes the caller's company the request's tenant, so every session of the request sees
 * only that company's rows.
 */
@RequestScoped
public class CallerContext {

    private final CurrentTenant tenant;
    private Caller caller;

    public CallerContext(CurrentTenant tenant) {
        this.tenant = tenant;
    }

    void set(Caller caller) {
        tenant.set(caller.companyId());
        this.caller = caller;
    }

    /** The authenticated caller; an operation without an access rule has none. */
    public Caller current() {
        if (caller == null) {
            throw ExceptionMappers.unauthorized("Authentication required.");
        }
        return caller;
    }
}
