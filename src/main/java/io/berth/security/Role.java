package io.berth.security;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** Roles from the token's {@code groups} claim, weakest first. */
public enum Role {
    VIEWER, OPERATOR, ADMIN;

    public String claimValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean atLeast(Role other) {
        return compareTo(other) >= 0;
    }

    /** The strongest known role among the groups; unknown groups are ignored. */
    public static Optional<Role> strongestOf(Collection<String> groups) {
        Role best = null;
        for (String group : groups) {
            for (Role role : values()) {
                if (role.claimValue().equals(group) && (best == null || role.atLeast(best))) {
                    best = role;
                }
            }
        }
        return Optional.ofNullable(best);
    }
}
