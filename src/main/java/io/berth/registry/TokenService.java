package io.berth.registry;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.registry.RegistryException.Kind;

/**
 * The Bearer token exchange of the Docker token authentication spec (RFC 6750 tokens): a GET of
 * the challenge's {@code realm} with its {@code service} and the merged {@code scope}s, Basic
 * credentials when there are any. The realm is checked first: HTTPS (plain HTTP only for
 * insecure connections), and on the registry's own host or a host the address policy allows.
 */
final class TokenService {

    static final long MAX_TOKEN_BYTES = 64L << 10;

    private final RegistryHttp http;
    private final ObjectMapper mapper;

    TokenService(RegistryHttp http, ObjectMapper mapper) {
        this.http = http;
        this.mapper = mapper;
    }

    /**
     * Fetches a token for the state's merged scopes plus {@code scope}, stores it in the state
     * and returns it.
     *
     * @param scope    e.g. {@code repository:team/app:pull}, or null for none
     * @param registry the registry's name, for messages
     * @param apiHost  the host[:port] the challenge came from (a realm there is as trusted as it)
     * @throws RegistryException CREDENTIALS_REJECTED (token service answered 401/403),
     *         RATE_LIMITED, UNAVAILABLE (other non-200), INVALID_RESPONSE (no realm, no token,
     *         not JSON), REFUSED_TARGET (realm not HTTPS or on a refused address)
     */
    String fetch(AuthState state, String scope, String registry, String apiHost, RegistryAuth auth) {
        String realm = state.challenge.param("realm");
        if (realm == null) {
            throw new RegistryException(Kind.INVALID_RESPONSE, registry + " sent a Bearer challenge without a realm.");
        }
        URI realmUri;
        try {
            realmUri = URI.create(realm);
        } catch (IllegalArgumentException e) {
            throw new RegistryException(Kind.INVALID_RESPONSE, "The token realm \"" + realm + "\" is not a URL.");
        }
        checkRealm(realmUri, apiHost, auth);
        Set<String> scopes = state.scopesWith(scope);
        StringBuilder query = new StringBuilder();
        if (state.challenge.param("service") != null) {
            query.append("service=").append(encode(state.challenge.param("service")));
        }
        for (String s : scopes) {
            query.append(query.isEmpty() ? "" : "&").append("scope=").append(encode(s));
        }
        URI tokenUri = URI.create(realm + (query.isEmpty() ? "" : (realm.contains("?") ? "&" : "?") + query));
        Map<String, String> headers = auth.hasCredentials() ? Map.of("Authorization", basic(auth)) : Map.of();
        Exchange answer = http.send("GET", tokenUri, headers, MAX_TOKEN_BYTES);
        if (answer.status() == 401 || answer.status() == 403) {
            throw new RegistryException(Kind.CREDENTIALS_REJECTED, "The token service of " + registry
                    + " rejected the credentials (HTTP " + answer.status() + ").");
        }
        if (answer.status() == 429) {
            throw answer.rateLimited();
        }
        if (answer.status() != 200) {
            throw new RegistryException(Kind.UNAVAILABLE, "The token service of " + registry + " answered HTTP "
                    + answer.status() + ".");
        }
        JsonNode body = answer.json(mapper, registry);
        // the token spec names it token; OAuth 2 (RFC 6749 §5.1) access_token
        String token = body.hasNonNull("token") ? body.get("token").asText() : body.path("access_token").asText(null);
        if (token == null || token.isEmpty()) {
            throw new RegistryException(Kind.INVALID_RESPONSE, "The token service of " + registry + " sent no token.");
        }
        state.store(token, body.path("expires_in").asLong(0), body.path("issued_at").asText(null), scopes);
        return token;
    }

    /** Credentials go only to the registry itself or a realm we may talk to, never in clear text. */
    private void checkRealm(URI realm, String apiHost, RegistryAuth auth) {
        String scheme = realm.getScheme() == null ? "" : realm.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !(scheme.equals("http") && auth.insecure())) {
            throw new RegistryException(Kind.REFUSED_TARGET, "The token realm " + realm
                    + " is not HTTPS; plain HTTP is allowed only for connections marked insecure.");
        }
        if (realm.getHost() == null) {
            throw new RegistryException(Kind.INVALID_RESPONSE, "The token realm " + realm + " has no host.");
        }
        // RegistryHttp checks every host against the private-address policy; a realm on the
        // registry's own host is as trusted as the registry.
        if (!RegistryHost.hostAndPort(realm).equals(apiHost)
                && !realm.getHost().equalsIgnoreCase(RegistryHost.withoutPort(apiHost))) {
            http.checkHost(realm.getHost());
        }
    }

    /** The {@code Authorization} value of HTTP Basic (RFC 7617) for the credentials. */
    static String basic(RegistryAuth auth) {
        return "Basic " + Base64.getEncoder().encodeToString(
                (auth.username() + ":" + auth.secret()).getBytes(StandardCharsets.UTF_8));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
