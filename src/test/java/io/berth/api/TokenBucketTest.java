package io.berth.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.berth.api.RateLimiter.Bucket;
import io.berth.api.RateLimiter.Decision;

/** The token-bucket arithmetic behind 429 and the RateLimit-* headers, on a fake clock (nanoseconds). */
class TokenBucketTest {

    private static final long SECOND = 1_000_000_000L;
    /** 60 requests per minute: one token per second. */
    private static final int CAPACITY = 60;
    private static final double NANOS_PER_TOKEN = 60d * SECOND / CAPACITY;

    @Test
    void aFullBucketAllowsExactlyItsCapacityThenRefusesWithRetryAfter() {
        Bucket bucket = new Bucket(CAPACITY, 0);
        for (int i = 1; i <= CAPACITY; i++) {
            Decision d = bucket.take(0, CAPACITY, NANOS_PER_TOKEN);
            assertTrue(d.allowed(), "request " + i);
            assertEquals(CAPACITY - i, d.remaining());
            assertEquals(CAPACITY, d.limit());
            assertEquals(i, d.resetSeconds(), "seconds until the bucket is full again after " + i);
        }
        Decision refused = bucket.take(0, CAPACITY, NANOS_PER_TOKEN);
        assertFalse(refused.allowed());
        assertEquals(0, refused.remaining());
        assertEquals(1, refused.retryAfterSeconds(), "one token comes back after one second");
        assertEquals(60, refused.resetSeconds());
    }

    @Test
    void tokensComeBackEvenlyNotAtWindowEdges() {
        Bucket bucket = new Bucket(CAPACITY, 0);
        for (int i = 0; i < CAPACITY; i++) {
            bucket.take(0, CAPACITY, NANOS_PER_TOKEN);
        }
        assertFalse(bucket.take(SECOND / 2, CAPACITY, NANOS_PER_TOKEN).allowed(), "half a token is not a token");
        Decision afterOneSecond = bucket.take(SECOND, CAPACITY, NANOS_PER_TOKEN);
        assertTrue(afterOneSecond.allowed());
        assertEquals(0, afterOneSecond.remaining());
        assertFalse(bucket.take(SECOND, CAPACITY, NANOS_PER_TOKEN).allowed());
        Decision tenLater = bucket.take(11 * SECOND, CAPACITY, NANOS_PER_TOKEN);
        assertTrue(tenLater.allowed());
        assertEquals(9, tenLater.remaining(), "ten tokens refilled over ten seconds, one taken");
    }

    @Test
    void aLongIdleRefillsToCapacityAndNoFurther() {
        Bucket bucket = new Bucket(CAPACITY, 0);
        bucket.take(0, CAPACITY, NANOS_PER_TOKEN);
        Decision muchLater = bucket.take(3600 * SECOND, CAPACITY, NANOS_PER_TOKEN);
        assertEquals(CAPACITY - 1, muchLater.remaining(), "no burst beyond the capacity");
        assertTrue(bucket.fullAt(3601 * SECOND, CAPACITY, NANOS_PER_TOKEN));
    }

    @Test
    void retryAfterRoundsUpAndIsNeverZero() {
        // 1 request per 10 s: after using it, the next token is 10 s away; 4.5 s later, 5.5 s → 6.
        Bucket bucket = new Bucket(1, 0);
        double nanosPerToken = 10d * SECOND;
        assertTrue(bucket.take(0, 1, nanosPerToken).allowed());
        assertEquals(10, bucket.take(0, 1, nanosPerToken).retryAfterSeconds());
        assertEquals(6, bucket.take(4_500_000_000L, 1, nanosPerToken).retryAfterSeconds());
        assertEquals(1, bucket.take(9_999_999_999L, 1, nanosPerToken).retryAfterSeconds(), "1 ns away is 1 s, not 0");
    }
}
