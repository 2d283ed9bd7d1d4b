package io.berth.dev;

import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

import io.smallrye.config.SmallRyeConfigBuilder;

/** Outside dev mode the dev defaults contribute nothing: no database, no dev key, no dev issuer. */
class DevConfigSourceFactoryTest {

    @Test
    void contributesNothingOutsideDevMode() {
        var config = new SmallRyeConfigBuilder().withSources(new DevConfigSourceFactory()).build();
        assertFalse(config.getOptionalValue("quarkus.datasource.jdbc.url", String.class).isPresent());
        assertFalse(config.getOptionalValue("mp.jwt.verify.publickey", String.class).isPresent());
        assertFalse(config.getOptionalValue("mp.jwt.verify.issuer", String.class).isPresent());
        assertFalse(config.getOptionalValue("berth.crypto.keys", String.class).isPresent());
    }
}
