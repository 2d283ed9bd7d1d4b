package io.berth.api;

/** The stable, machine-readable error codes of the API contract, each with its HTTP status. */
public enum ErrorCode {
    VALIDATION_ERROR(400),
    READONLY_FIELD(422),
    UNAUTHORIZED(401),
    FORBIDDEN_SCOPE(403),
    FORBIDDEN_ROLE(403),
    NOT_FOUND(404),
    CONFLICT(409),
    IDEMPOTENCY_KEY_REUSED(422),
    RATE_LIMITED(429),
    SERVICE_UNAVAILABLE(503),
    INTERNAL(500);

    private final int status;

    ErrorCode(int status) {
        this.status = status;
    }

    public int status() {
        return status;
    }
}
