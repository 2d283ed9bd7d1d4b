package io.berth.environment;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Stored by name, shown in lower case on the wire. */
public enum Tier {
    @JsonProperty("development")
    DEVELOPMENT,
    @JsonProperty("staging")
    STAGING,
    @JsonProperty("production")
    PRODUCTION
}
