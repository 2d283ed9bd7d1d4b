package io.berth.persistence;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import io.berth.api.ApiException;

/** Refuses to delete a resource that other rows still reference, saying how many and what. */
@ApplicationScoped
public class References {

    private final Instance<ReferenceCounter> counters;

    public References(Instance<ReferenceCounter> counters) {
        this.counters = counters;
    }

    /** How many of the current company's rows of the kind {@code label} ("container images") reference the resource. */
    public long count(Class<? extends TenantOwnedEntity> target, UUID id, String label) {
        return counters.stream().filter(c -> c.label().equals(label)).mapToLong(c -> c.countReferencing(target, id)).sum();
    }

    /**
     * Passes when no row of the current company references the resource.
     *
     * @param what the resource's name in the error ("environment")
     * @throws ApiException 409 CONFLICT naming every kind of row that still uses the resource, and how many
     */
    public void requireUnreferenced(Class<? extends TenantOwnedEntity> target, UUID id, String what) {
        List<String> uses = new ArrayList<>();
        for (ReferenceCounter counter : counters) {
            long n = counter.countReferencing(target, id);
            if (n > 0) {
                uses.add(n + " " + (n == 1 ? singular(counter.label()) : counter.label()));
            }
        }
        if (!uses.isEmpty()) {
            String list = String.join(" and ", uses);
            throw ApiException.conflict("The " + what + " is still used by " + list + ".",
                    "Delete or move the " + list + " first, then delete the " + what + ".");
        }
    }

    private static String singular(String plural) {
        return plural.endsWith("s") ? plural.substring(0, plural.length() - 1) : plural;
    }
}
