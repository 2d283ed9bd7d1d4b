package io.berth.registry;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

import io.berth.registry.RegistryException.Kind;

/**
 * Sends a request and follows its redirects itself (Docker Registry HTTP API v2 and the OCI
 * distribution-spec let a registry redirect manifest and blob reads elsewhere), deciding the
 * {@code Authorization} header hop by hop: a connection's credentials and tokens go only to the
 * origin they were meant for. A redirect target that challenges (a registry fronting another) is
 * answered for that target only, anonymously, with a token cached for that target.
 */
final class Redirects {

    private static final int MAX_REDIRECTS = 3;

    private final RegistryHttp http;
    private final TokenCache cache;
    private final TokenService tokens;

    Redirects(RegistryHttp http, TokenCache cache, TokenService tokens) {
        this.http = http;
        this.cache = cache;
        this.tokens = tokens;
    }

    /**
     * Sends, following up to {@value #MAX_REDIRECTS} redirects (301-303, 307, 308 with a
     * {@code Location}): {@code authorization} goes only to the origin of {@code uri}. Another
     * origin that answers 401 gets its own anonymous token; a 401 of the first origin is returned
     * to the caller, who owns that origin's challenge.
     *
     * @param authorization the {@code Authorization} value for the origin, or null
     * @param scope         the token scope a redirect target's cached token must cover, or null
     * @throws RegistryException INVALID_RESPONSE (too many redirects), REFUSED_TARGET (HTTPS to
     *         plain HTTP), DENIED (a redirect target refused), and whatever {@link RegistryHttp#send} throws
     */
    Exchange follow(String method, URI uri, Map<String, String> headers, String authorization, long maxBytes,
            String scope) {
        URI current = uri;
        for (int hop = 0; ; hop++) {
            Map<String, String> all = new LinkedHashMap<>(headers);
            boolean home = sameOrigin(uri, current);
            if (home && authorization != null) {
                all.put("Authorization", authorization);
            } else if (!home) {
                AuthState target = cache.target(current);
                String targetToken = target == null ? null : target.tokenCovering(scope);
                if (targetToken != null) {
                    all.put("Authorization", "Bearer " + targetToken);
                }
            }
            Exchange answer = http.send(method, current, all, maxBytes);
            if (!home && answer.status() == 401) {
                answer = answerTargetChallenge(method, uri, current, headers, maxBytes, scope, answer);
            }
            int status = answer.status();
            if (status < 300 || status > 308 || status == 304 || answer.header("Location") == null) {
                return answer;
            }
            if (hop >= MAX_REDIRECTS) {
                throw new RegistryException(Kind.INVALID_RESPONSE, "Too many redirects from "
                        + RegistryHost.hostAndPort(uri) + ".");
            }
            URI target = current.resolve(answer.header("Location"));
            if ("http".equalsIgnoreCase(target.getScheme()) && "https".equalsIgnoreCase(current.getScheme())) {
                throw new RegistryException(Kind.REFUSED_TARGET, "Refusing a redirect from HTTPS to plain HTTP.");
            }
            current = target;
        }
    }

    /**
     * A redirect target answered 401: answer its Bearer challenge for it alone, anonymously (the
     * connection's credentials belong to the registry that redirected), and send the request once
     * more (also when a cached token was refused: it may have been revoked). Costs one token
     * request and one request when the target grants access; DENIED naming the redirect and the
     * target when it does not, its token service refuses, or it asks for Basic credentials.
     */
    private Exchange answerTargetChallenge(String method, URI origin, URI target, Map<String, String> headers, long maxBytes,
            String scope, Exchange refused) {
        Challenge challenge = Challenge.preferred(refused.headerValues("WWW-Authenticate")).orElse(null);
        if (challenge == null || !challenge.isBearer()) {
            throw refusedRedirect(origin, target);
        }
        AuthState fresh = AuthState.after(cache.target(target), challenge);
        RegistryAuth anonymous = new RegistryAuth(null, null, "http".equalsIgnoreCase(target.getScheme()));
        String token;
        try {
            String targetHost = RegistryHost.hostAndPort(target);
            token = tokens.fetch(fresh, challenge.param("scope") != null ? challenge.param("scope") : scope,
                    targetHost, targetHost, anonymous);
        } catch (RegistryException e) {
            if (e.kind() == Kind.CREDENTIALS_REJECTED) {
                throw refusedRedirect(origin, target);
            }
            throw e;
        }
        cache.putTarget(target, fresh);
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put("Authorization", "Bearer " + token);
        Exchange answer = http.send(method, target, all, maxBytes);
        if (answer.status() == 401) {
            throw refusedRedirect(origin, target);
        }
        return answer;
    }

    private static RegistryException refusedRedirect(URI origin, URI target) {
        return new RegistryException(Kind.DENIED, RegistryHost.hostAndPort(origin) + " redirected the request to "
                + RegistryHost.hostAndPort(target) + ", which refused it (HTTP 401) to an anonymous request; Berth sends "
                + "a connection's credentials only to its own registry.");
    }

    private static boolean sameOrigin(URI a, URI b) {
        return RegistryHost.hostAndPort(a).equalsIgnoreCase(RegistryHost.hostAndPort(b))
                && a.getScheme().equalsIgnoreCase(b.getScheme());
    }
}
