package io.berth.security;

import jakarta.enterprise.context.RequestScoped;

import io.berth.api.ExceptionMappers;

/** The caller of the current request, set by {@link AccessFilter} once the token is checked. */
@RequestScoped
public class CallerContext {

    private Caller caller;

    void set(Caller caller) {
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
