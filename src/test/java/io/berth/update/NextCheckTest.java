package io.berth.update;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** When an image is checked next: the interval ±10 %, backing off after failures up to × 8. */
class NextCheckTest {

    private static void assertBetween(double low, double high, long actual) {
        assertTrue(actual >= Math.floor(low) && actual <= Math.ceil(high), actual + " not in [" + low + ", " + high + "]");
    }

    @Test
    void aHealthyImageWaitsItsIntervalJittered() {
        for (int i = 0; i < 200; i++) {
            assertBetween(30 * 60 * 0.9, 30 * 60 * 1.1, AutoUpdater.nextCheckIn(30, 0));
        }
    }

    @Test
    void failuresBackOffExponentiallyUpToEightIntervals() {
        int[] factors = {1, 2, 4, 8, 8, 8};
        for (int failures = 1; failures <= factors.length; failures++) {
            double base = 10 * 60.0 * factors[failures - 1];
            assertBetween(base * 0.9, base * 1.1, AutoUpdater.nextCheckIn(10, failures));
        }
        assertBetween(10 * 60 * 8 * 0.9, 10 * 60 * 8 * 1.1, AutoUpdater.nextCheckIn(10, 1_000));
    }
}
