package io.berth.security;

import java.util.Locale;

/**
 * A scope the token must carry, {@code <resource>:<read|write|delete>}, and the role that goes
 * with it: reads take any role, writes and deletes need operator or admin.
 */
public record Access(String resource, String action) {

    public static Access parse(String scope) {
        int colon = scope.indexOf(':');
        if (colon <= 0 || colon == scope.length() - 1) {
            throw new IllegalArgumentException("Scope must be <resource>:<action>: " + scope);
        }
        return new Access(scope.substring(0, colon), scope.substring(colon + 1).toLowerCase(Locale.ROOT));
    }

    public String scope() {
        return resource + ":" + action;
    }

    public Role minimumRole() {
        return "read".equals(action) ? Role.VIEWER : Role.OPERATOR;
    }
}
