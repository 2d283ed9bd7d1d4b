package io.berth.registry;

/**
 * How to reach one registry: credentials (null for anonymous) and whether plain HTTP is allowed.
 * {@code secret} is a password or an access token; it never appears in {@link #toString()}.
 */
public record RegistryAuth(String username, String secret, boolean insecure) {

    public static final RegistryAuth ANONYMOUS = new RegistryAuth(null, null, false);

    public boolean hasCredentials() {
        return username != null && !username.isEmpty() && secret != null && !secret.isEmpty();
    }

    @Override
    public String toString() {
        return "RegistryAuth[username=" + username + ", secret=" + (secret == null ? "none" : "***") + ", insecure="
                + insecure + "]";
    }
}
