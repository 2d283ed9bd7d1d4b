package io.berth.registry;

import java.net.URI;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.registry.RegistryException.Kind;

/**
 * Sends a registry request authenticated the way the registry asks (RFC 7235): the request goes
 * first with what the cached state allows; a 401's {@code WWW-Authenticate} challenge (Bearer
 * preferred, else Basic; {@link Challenge}) then says how, and the request is sent once more.
 * Bearer tokens are cached per (API host, credentials) with their repository scopes merged, so a
 * warm repository costs one request and a new repository on a warm host two (token, then the
 * request), never a 401 round trip.
 */
final class Authenticator {

    private final TokenCache cache = new TokenCache();
    private final TokenService tokens;
    private final Redirects redirects;

    Authenticator(RegistryHttp http, ObjectMapper mapper) {
        this.tokens = new TokenService(http, mapper);
        this.redirects = new Redirects(http, cache, tokens);
    }

    /**
     * Sends {@code method uri} for {@code ref}'s repository with pull access (the whole registry
     * when the repository is empty), following redirects ({@link Redirects}).
     *
     * @return the answer, any status but 401 (4xx is for the caller to read)
     * @throws RegistryException CREDENTIALS_REJECTED (refused credentials, Basic without
     *         credentials, a challenge Berth does not understand), NOT_FOUND (anonymous and refused
     *         for a repository: Docker Hub answers 401 for one that does not exist), and what the
     *         token exchange and transport throw
     */
    Exchange send(String method, URI uri, ImageReference ref, RegistryAuth auth, Map<String, String> headers,
            long maxBytes) {
        String scope = ref.repository().isEmpty() ? null : "repository:" + ref.repository() + ":pull";
        String apiHost = RegistryHost.of(ref).apiHost();
        AuthState state = cache.registry(apiHost, auth);
        boolean freshToken = false;
        String authorization = null;
        if (state != null && state.challenge.isBearer()) {
            authorization = state.tokenCovering(scope);
            if (authorization == null) {
                authorization = tokens.fetch(state, scope, ref.registry(), apiHost, auth);
                freshToken = true;
            }
            authorization = "Bearer " + authorization;
        } else if (state != null && state.challenge.isBasic() && auth.hasCredentials()) {
            authorization = TokenService.basic(auth);
        }
        Exchange answer = redirects.follow(method, uri, headers, authorization, maxBytes, scope);
        if (answer.status() != 401) {
            return answer;
        }
        Challenge challenge = Challenge.preferred(answer.headerValues("WWW-Authenticate")).orElseThrow(
                () -> new RegistryException(Kind.CREDENTIALS_REJECTED, ref.registry() + " refused the request (HTTP 401) "
                        + "without a challenge Berth understands."));
        // RFC 6750 §3.1: insufficient_scope asks for a token with more scope, not other credentials
        boolean insufficientScope = "insufficient_scope".equals(challenge.param("error"));
        if (freshToken && !insufficientScope) {
            throw rejected(ref, auth);
        }
        if (challenge.isBasic()) {
            if (!auth.hasCredentials()) {
                throw new RegistryException(Kind.CREDENTIALS_REJECTED, ref.registry() + " requires credentials.");
            }
            if (authorization != null) {
                throw rejected(ref, auth);
            }
            cache.putRegistry(apiHost, auth, new AuthState(challenge));
            answer = redirects.follow(method, uri, headers, TokenService.basic(auth), maxBytes, scope);
        } else {
            AuthState fresh = AuthState.after(state, challenge);
            String needed = challenge.param("scope") != null ? challenge.param("scope") : scope;
            String token = tokens.fetch(fresh, needed, ref.registry(), apiHost, auth);
            cache.putRegistry(apiHost, auth, fresh);
            answer = redirects.follow(method, uri, headers, "Bearer " + token, maxBytes, scope);
        }
        if (answer.status() == 401) {
            throw rejected(ref, auth);
        }
        return answer;
    }

    private static RegistryException rejected(ImageReference ref, RegistryAuth auth) {
        if (!auth.hasCredentials() && !ref.repository().isEmpty()) {
            // Docker Hub answers 401, not 404, for a repository that does not exist
            return new RegistryException(Kind.NOT_FOUND, ref.familiarName() + " was not found, or it is private and "
                    + "needs credentials.");
        }
        return new RegistryException(Kind.CREDENTIALS_REJECTED, ref.registry() + " rejected the credentials"
                + (ref.repository().isEmpty() ? "." : " for " + ref.familiarName() + " (or the repository does not exist)."));
    }
}
