package io.berth.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import io.smallrye.jwt.util.KeyUtils;

/** Real RS256 tokens signed with the test key the application under test trusts. */
public final class Tokens {

    public static final String ISSUER = "https://issuer.berth.test";
    public static final String ALL_SCOPES = "environments:read environments:write environments:delete"
            + " registries:read registries:write registries:delete"
            + " container-images:read container-images:write container-images:delete"
            + " applications:read applications:write applications:delete events:read"
            + " webhooks:read webhooks:write webhooks:delete";

    private Tokens() {
    }

    public static Map<String, String> verificationConfig() {
        return Map.of("mp.jwt.verify.publickey", resource("keys/test-public.pem"), "mp.jwt.verify.issuer", ISSUER);
    }

    public static String admin(UUID company) {
        return token(company, "alice", "admin", ALL_SCOPES);
    }

    public static String token(UUID company, String subject, String role, String scope) {
        return claims(company, subject, role, scope).sign(key("keys/test-private.pem"));
    }

    public static JwtClaimsBuilder claims(UUID company, String subject, String role, String scope) {
        JwtClaimsBuilder builder = Jwt.issuer(ISSUER).subject(subject).expiresIn(Duration.ofMinutes(10));
        if (company != null) {
            builder.claim("company_id", company.toString());
        }
        if (role != null) {
            builder.groups(Set.of(role));
        }
        if (scope != null) {
            builder.claim("scope", scope);
        }
        return builder;
    }

    public static PrivateKey key(String resource) {
        try {
            return KeyUtils.decodePrivateKey(resource(resource));
        } catch (Exception e) {
            throw new IllegalStateException("Cannot read test key " + resource, e);
        }
    }

    private static String resource(String name) {
        try (InputStream in = Tokens.class.getClassLoader().getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("Missing test resource " + name, e);
        }
    }
}
