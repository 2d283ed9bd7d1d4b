package io.berth.update;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.berth.registry.RegistryRateLimit;

/** When a host under its Docker Hub rate-limit reserve may be asked again. */
class RegistryBudgetTest {

    private static final long SEEN = Instant.parse("2026-12-01T00:00:00Z").toEpochMilli();

    @Test
    void atOrAboveTheReserveAHostMayBeAsked() {
        assertNull(RegistryBudget.untilReserveReturns(null, 10));
        assertNull(RegistryBudget.untilReserveReturns(new RegistryRateLimit(100, 10, 21_600, SEEN), 10));
        assertNull(RegistryBudget.untilReserveReturns(new RegistryRateLimit(100, null, 21_600, SEEN), 10));
    }

    @Test
    void belowItTheWindowMustFreeTheMissingRequests() {
        // 100 per 6 h: one request returns every 216 s; 7 missing
        assertEquals(Instant.ofEpochMilli(SEEN).plusSeconds(7 * 216),
                RegistryBudget.untilReserveReturns(new RegistryRateLimit(100, 3, 21_600, SEEN), 10));
        // no w= parameter: Docker Hub's documented six hours
        assertEquals(Instant.ofEpochMilli(SEEN).plusSeconds(10 * 216),
                RegistryBudget.untilReserveReturns(new RegistryRateLimit(100, 0, null, SEEN), 10));
        // never longer than one window
        assertEquals(Instant.ofEpochMilli(SEEN).plusSeconds(60),
                RegistryBudget.untilReserveReturns(new RegistryRateLimit(2, 0, 60, SEEN), 10));
    }
}
