package io.berth.security;

import java.util.Set;
import java.util.UUID;

/**
 * Who is calling, as proven by the bearer token: the company (tenant) every row they touch
 * belongs to, the subject recorded as createdBy/modifiedBy, their role and their scopes.
 */
public record Caller(UUID companyId, String subject, Role role, Set<String> scopes) {

    /** Key for per-caller state (rate limits, idempotency keys): subject within company. */
    public String key() {
        return companyId + "/" + subject;
    }
}
