package io.berth.registry;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * How Berth authenticates to one (host, credentials), as the host's last challenge said: Basic,
 * or Bearer with the current token, when it is renewed and the repository scopes it covers.
 * Thread-safe; the lifetime rules of the token spec live here.
 */
final class AuthState {

    /**
     * Shortest token lifetime Berth accepts, in seconds: the Docker token spec ("expires_in ...
     * minimum of 60 seconds") makes 60 s the floor, and docker, containers/image and regclient
     * raise shorter lifetimes to it.
     */
    static final long MIN_TOKEN_SECONDS = 60;
    /** A token is renewed when this fraction of its lifetime is left (6 s of 60 s, 30 s of 5 min). */
    private static final long RENEWAL_MARGIN_DIVISOR = 10;
    /** A merged token carries at most this many repository scopes (older ones drop out). */
    private static final int MAX_MERGED_SCOPES = 20;

    final Challenge challenge;
    private String token;
    /** When the token is renewed: a tenth of its lifetime before it expires. */
    private Instant renewAt = Instant.EPOCH;
    private final Set<String> scopes = new LinkedHashSet<>();

    AuthState(Challenge challenge) {
        this.challenge = challenge;
    }

    /**
     * The state for a new {@code challenge} of the same host: a Bearer state that replaces another
     * Bearer state keeps its scopes, so the next token still covers every repository read lately.
     */
    static AuthState after(AuthState previous, Challenge challenge) {
        AuthState fresh = new AuthState(challenge);
        if (previous != null && previous.challenge.isBearer() && challenge.isBearer()) {
            synchronized (previous) {
                fresh.scopes.addAll(previous.scopes);
            }
        }
        return fresh;
    }

    /** The token when it is not due for renewal and covers {@code scope} (null: any scope), else null. */
    synchronized String tokenCovering(String scope) {
        boolean fresh = token != null && Instant.now().isBefore(renewAt);
        return fresh && (scope == null || scopes.contains(scope)) ? token : null;
    }

    /**
     * The scopes to ask the next token for: those of the current one plus {@code scope} (null:
     * none added) as the newest, at most {@value #MAX_MERGED_SCOPES}, the oldest dropped first.
     */
    synchronized Set<String> scopesWith(String scope) {
        Set<String> merged = new LinkedHashSet<>(scopes);
        if (scope != null) {
            merged.remove(scope);
            merged.add(scope);
        }
        while (merged.size() > MAX_MERGED_SCOPES) {
            merged.remove(merged.iterator().next());
        }
        return merged;
    }

    /**
     * Keeps a token the token service issued for {@code granted}.
     *
     * @param expiresIn the token response's {@code expires_in} in seconds; absent (0), negative
     *                  or below {@value #MIN_TOKEN_SECONDS} counts as {@value #MIN_TOKEN_SECONDS}
     * @param issuedAt  the token response's {@code issued_at} (RFC 3339) or null; now when absent,
     *                  unreadable or off by more than a minute ahead or an hour behind
     */
    synchronized void store(String token, long expiresIn, String issuedAt, Set<String> granted) {
        long lifetime = Math.max(MIN_TOKEN_SECONDS, expiresIn);
        this.token = token;
        this.renewAt = issuedAt(issuedAt).plusSeconds(lifetime - lifetime / RENEWAL_MARGIN_DIVISOR);
        this.scopes.clear();
        this.scopes.addAll(granted);
    }

    private static Instant issuedAt(String text) {
        if (text == null) {
            return Instant.now();
        }
        try {
            Instant issued = OffsetDateTime.parse(text).toInstant();
            // A token service with a skewed clock must not make tokens look expired (or eternal).
            return issued.isAfter(Instant.now().plusSeconds(60)) || issued.isBefore(Instant.now().minusSeconds(3600))
                    ? Instant.now() : issued;
        } catch (DateTimeParseException e) {
            return Instant.now();
        }
    }
}
