package io.berth.registry;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link AuthState} of every host Berth has authenticated to: per (registry API host,
 * credentials), and per redirect target (always anonymous, kept apart from every connection's).
 * Credentials appear in keys only hashed.
 */
final class TokenCache {

    private final Map<String, AuthState> states = new ConcurrentHashMap<>();

    /** The state of a registry for these credentials, or null before its first challenge. */
    AuthState registry(String apiHost, RegistryAuth auth) {
        return states.get(registryKey(apiHost, auth));
    }

    void putRegistry(String apiHost, RegistryAuth auth, AuthState state) {
        states.put(registryKey(apiHost, auth), state);
    }

    /** The anonymous state of a redirect target (scheme, host and port of {@code target}), or null. */
    AuthState target(URI target) {
        return states.get(targetKey(target));
    }

    void putTarget(URI target, AuthState state) {
        states.put(targetKey(target), state);
    }

    private static String registryKey(String apiHost, RegistryAuth auth) {
        return apiHost + "|" + (auth.hasCredentials()
                ? Digests.sha256((auth.username() + "\0" + auth.secret()).getBytes(StandardCharsets.UTF_8))
                : "anonymous");
    }

    private static String targetKey(URI target) {
        return target.getScheme().toLowerCase(Locale.ROOT) + "://" + RegistryHost.hostAndPort(target) + "|redirect-target";
    }
}
