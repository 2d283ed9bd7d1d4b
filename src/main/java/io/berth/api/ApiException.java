package io.berth.api;

import java.util.Map;

/**
 * A failure the client should see as it is: carries the contract's code, message, optional field
 * and hint, and any headers the answer needs (Retry-After, WWW-Authenticate).
 */
public class ApiException extends RuntimeException {

    private final ErrorCode code;
    private final String field;
    private final String hint;
    private final Map<String, String> headers;

    public ApiException(ErrorCode code, String message, String field, String hint, Map<String, String> headers) {
        super(message, null, false, false);
        this.code = code;
        this.field = field;
        this.hint = hint;
        this.headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    public ApiException(ErrorCode code, String message, String field, String hint) {
        this(code, message, field, hint, null);
    }

    public static ApiException validation(String field, String message, String hint) {
        return new ApiException(ErrorCode.VALIDATION_ERROR, message, field, hint);
    }

    public static ApiException notFound(String what) {
        return new ApiException(ErrorCode.NOT_FOUND, what + " not found.", null, null);
    }

    public static ApiException conflict(String message, String hint) {
        return new ApiException(ErrorCode.CONFLICT, message, null, hint);
    }

    public static ApiException unavailable(String message, long retryAfterSeconds) {
        return new ApiException(ErrorCode.SERVICE_UNAVAILABLE, message, null, "Retry after "
                + retryAfterSeconds + " seconds.", Map.of("Retry-After", Long.toString(retryAfterSeconds)));
    }

    public ErrorCode code() {
        return code;
    }

    public String field() {
        return field;
    }

    public String hint() {
        return hint;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
