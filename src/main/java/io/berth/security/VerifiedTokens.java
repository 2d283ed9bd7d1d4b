package io.berth.security;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipalFactory;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipalFactory;
import io.smallrye.jwt.auth.principal.ParseException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.Claims;

/**
 * smallrye-jwt's token verification with a memory of tokens it has verified: a client sends the
 * same bearer token with every request until it expires, and parsing it and checking its RS256
 * signature again each time was about a tenth of a {@code GET}'s CPU (docs/performance.md).
 *
 * <p>Plugged in as the CDI alternative to the default {@link JWTCallerPrincipalFactory}, the
 * extension point the Quarkus JWT guide names for custom factories. A token is remembered only
 * after the default factory verified it (signature, issuer, expiry, everything configured under
 * {@code mp.jwt.verify.*}); the key is the whole compact token, signature included, so a changed
 * byte is a new token that is verified from scratch. It is forgotten when it expires ({@code exp},
 * in seconds since the epoch; no clock skew is granted from memory — after {@code exp} the token
 * goes through the full verification again, which applies {@code mp.jwt.verify.clock.skew}) and
 * at the latest {@code berth.security.verified-token-ttl} after it was verified, so a verification
 * key that was withdrawn stops being honoured within that time. At most
 * {@code berth.security.verified-token-cache-size} tokens are kept (0 turns the memory off).
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class VerifiedTokens extends JWTCallerPrincipalFactory {

    private final JWTCallerPrincipalFactory verifier = new DefaultJWTCallerPrincipalFactory();
    private final Cache<String, JWTCallerPrincipal> verified;
    private final long maxTtlNanos;

    public VerifiedTokens(@ConfigProperty(name = "berth.security.verified-token-cache-size", defaultValue = "1000") int size,
            @ConfigProperty(name = "berth.security.verified-token-ttl", defaultValue = "5M") Duration ttl) {
        this.maxTtlNanos = ttl.toNanos();
        this.verified = Caffeine.newBuilder().maximumSize(Math.max(0, size)).expireAfter(new UntilExpiry()).build();
    }

    /**
     * The verified principal of {@code token}: from memory when this exact token was verified
     * before and has not expired, otherwise from the default factory.
     *
     * @throws ParseException when the default factory refuses the token (malformed, wrong
     *         signature, wrong issuer, expired, ...); refused tokens are never remembered
     */
    @Override
    public JWTCallerPrincipal parse(String token, JWTAuthContextInfo authContextInfo) throws ParseException {
        JWTCallerPrincipal known = verified.getIfPresent(token);
        if (known != null && secondsUntilExpiry(known) > 0) {
            return known;
        }
        JWTCallerPrincipal principal = verifier.parse(token, authContextInfo);
        if (secondsUntilExpiry(principal) > 0) {
            verified.put(token, principal);
        }
        return principal;
    }

    /** Seconds left before {@code exp}; 0 or less when expired or without {@code exp} (never remembered). */
    private static long secondsUntilExpiry(JWTCallerPrincipal principal) {
        return principal.getClaim(Claims.exp.name()) instanceof Number exp
                ? exp.longValue() - System.currentTimeMillis() / 1000
                : 0;
    }

    /** Each entry lives until its token's {@code exp}, and no longer than the configured TTL. */
    private final class UntilExpiry implements Expiry<String, JWTCallerPrincipal> {
        @Override
        public long expireAfterCreate(String token, JWTCallerPrincipal principal, long now) {
            return Math.min(maxTtlNanos, TimeUnit.SECONDS.toNanos(Math.max(0, secondsUntilExpiry(principal))));
        }

        @Override
        public long expireAfterUpdate(String token, JWTCallerPrincipal principal, long now, long remaining) {
            return expireAfterCreate(token, principal, now);
        }

        @Override
        public long expireAfterRead(String token, JWTCallerPrincipal principal, long now, long remaining) {
            return remaining;
        }
    }
}
