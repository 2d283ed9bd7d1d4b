package io.berth.registry;

/** A registry operation that did not give an answer, by kind, so callers can map it. */
public class RegistryException extends RuntimeException {

    public enum Kind {
        /** The repository, tag or digest does not exist (or, on Docker Hub, you may not see it). */
        NOT_FOUND,
        /** The registry refused the credentials (401 again after a fresh token, or Basic refused). */
        CREDENTIALS_REJECTED,
        /** Authenticated, but not allowed (403, or insufficient scope after a retry), or a redirect target refused an anonymous request. */
        DENIED,
        /** Too many requests; {@link #retryAfterSeconds()} says when to come back. */
        RATE_LIMITED,
        /** Cannot connect: DNS, refused, routed nowhere. */
        UNREACHABLE,
        /** The TLS handshake failed: untrusted or invalid certificate, protocol mismatch. */
        TLS,
        /** No answer in time. */
        TIMEOUT,
        /** The registry answered 5xx, or the circuit for it is open after repeated failures. */
        UNAVAILABLE,
        /** The target is refused by policy: private address, plain HTTP, foreign redirect. */
        REFUSED_TARGET,
        /** The answer broke the protocol or a size limit. */
        INVALID_RESPONSE,
        /** More tags than berth.registry.max-tags (held) or more pages than berth.registry.max-tag-pages. */
        TOO_MANY_TAGS
    }

    private final Kind kind;
    private final long retryAfterSeconds;

    public RegistryException(Kind kind, String message) {
        this(kind, message, 0, null);
    }

    public RegistryException(Kind kind, String message, long retryAfterSeconds, Throwable cause) {
        super(message, cause, false, false);
        this.kind = kind;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public Kind kind() {
        return kind;
    }

    /** Seconds until a retry makes sense; 0 when unknown. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
