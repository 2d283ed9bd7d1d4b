package io.berth.persistence;

import java.util.UUID;

/**
 * Implemented by features whose rows point at other resources (container images point at
 * environments and registry connections), so those resources can refuse deletion while used
 * without knowing every feature that uses them.
 */
public interface ReferenceCounter {

    /** What is counted, in the plural ("container images"). */
    String label();

    /**
     * How many of the current company's rows reference the {@code target} resource with this id
     * (0 if this kind never does).
     */
    long countReferencing(Class<? extends TenantOwnedEntity> target, UUID id);
}
