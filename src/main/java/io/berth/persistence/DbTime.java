package io.berth.persistence;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/** Timestamps as PostgreSQL stores them. */
public final class DbTime {

    private DbTime() {
    }

    /**
     * Now in UTC, truncated to microseconds: PostgreSQL's {@code timestamptz} keeps microseconds, so
     * what Berth answers right after a write equals what a later read returns.
     */
    public static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    }
}
