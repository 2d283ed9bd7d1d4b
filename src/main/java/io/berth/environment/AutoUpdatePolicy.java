package io.berth.environment;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What auto-update does in an environment when a linked application has a candidate: roll it out,
 * propose it for approval (a pending update), or nothing. Stored by name, shown in lower case.
 */
public enum AutoUpdatePolicy {
    @JsonProperty("auto")
    AUTO,
    @JsonProperty("approve")
    APPROVE,
    @JsonProperty("off")
    OFF;

    /** The policy of an environment created without one: approve for production, auto otherwise. */
    public static AutoUpdatePolicy defaultFor(Tier tier) {
        return tier == Tier.PRODUCTION ? APPROVE : AUTO;
    }
}
