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

    /**
     * A {@code timestamptz} as a native query returns it (OffsetDateTime, Instant or Timestamp,
     * by driver and Hibernate version), in UTC; null stays null.
     */
    public static OffsetDateTime of(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof OffsetDateTime t) {
            return t.withOffsetSameInstant(ZoneOffset.UTC);
        }
        if (value instanceof java.time.Instant i) {
            return i.atOffset(ZoneOffset.UTC);
        }
        return ((java.sql.Timestamp) value).toInstant().atOffset(ZoneOffset.UTC);
    }
}
