package io.berth.hook;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * Auto-update on, but its scheduled rounds an hour away (and the hint poll too): whatever a test
 * sees checked was checked because a notification nudged it. A small per-connection budget for 429.
 */
public class HookProfile implements QuarkusTestProfile {

    static final int BUDGET = 20;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("berth.auto-update.enabled", "true",
                // The packaged application (RegistryNotificationsIT) gets the test resources' properties after
                // these, and TestConfig turns auto-update off; its profile (prod) key wins over the plain one.
                "%prod.berth.auto-update.enabled", "true",
                "berth.auto-update.initial-delay", "1h",
                "berth.auto-update.poll-interval", "1h",
                "berth.hooks.poll-interval", "1h",
                "berth.hooks.rate-limit-requests", Integer.toString(BUDGET),
                "berth.hooks.rate-limit-period", "1H");
    }
}
