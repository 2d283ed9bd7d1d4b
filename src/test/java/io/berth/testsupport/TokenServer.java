package io.berth.testsupport;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.util.KeyUtils;

/**
 * The token service of the Docker registry token flow (what auth.docker.io is for Docker Hub),
 * for the Distribution registry started with {@code auth: token}. It signs tokens with a key
 * whose certificate is the registry's rootcertbundle. Repositories under {@code private/} need
 * alice's credentials; others may be pulled anonymously, like public images on Docker Hub.
 */
public final class TokenServer implements AutoCloseable {

    public static final String SERVICE = "berth-test-registry";
    public static final String ISSUER = "berth-test-token-issuer";
    public static final String USER = "alice";
    public static final String PASSWORD = "alice-registry-pw";

    private final HttpServer server;
    private final PrivateKey key;
    private final String certificate;
    /** Lifetime of issued tokens; tests shorten it to exercise refresh. */
    public final AtomicInteger expiresInSeconds = new AtomicInteger(300);
    /** How long ago tokens say they were issued (issued_at and iat); tests move it back to exercise refresh. */
    public final AtomicInteger issuedSecondsAgo = new AtomicInteger(0);
    public final AtomicLong requests = new AtomicLong();
    /** The scope parameters of every token request, in order. */
    public final List<List<String>> requestedScopes = java.util.Collections.synchronizedList(new ArrayList<>());

    public TokenServer() {
        try {
            key = KeyUtils.decodePrivateKey(TestFiles.read("registry/token-issuer-key.pem"));
            var cert = CertificateFactory.getInstance("X.509")
                    .generateCertificate(new java.io.ByteArrayInputStream(
                            TestFiles.read("registry/token-issuer-cert.pem").getBytes(StandardCharsets.US_ASCII)));
            certificate = Base64.getEncoder().encodeToString(cert.getEncoded());
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot start the token server", e);
        }
        server.createContext("/token", this::token);
        server.start();
    }

    public String realm() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
    }

    /** A token for the given scopes, as the test's own push client needs. */
    public String mint(String subject, List<String> scopes) {
        List<Map<String, Object>> access = new ArrayList<>();
        for (String scope : scopes) {
            String[] parts = scope.split(":");
            if (parts.length == 3) {
                boolean allowed = subject != null || !parts[1].startsWith("private/");
                if (allowed) {
                    List<String> actions = subject != null ? List.of(parts[2].split(",")) : List.of("pull");
                    access.add(Map.of("type", parts[0], "name", parts[1], "actions", actions));
                }
            }
        }
        Instant now = Instant.now().minusSeconds(issuedSecondsAgo.get());
        return Jwt.issuer(ISSUER).subject(subject == null ? "" : subject).audience(SERVICE)
                .issuedAt(now).expiresAt(now.plus(Duration.ofSeconds(expiresInSeconds.get())))
                .claim("nbf", now.getEpochSecond() - 5).claim("access", access)
                .jws().header("x5c", List.of(certificate)).algorithm(io.smallrye.jwt.algorithm.SignatureAlgorithm.RS256)
                .sign(key);
    }

    private void token(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        String subject = null;
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization != null) {
            String decoded = authorization.startsWith("Basic ")
                    ? new String(Base64.getDecoder().decode(authorization.substring(6)), StandardCharsets.UTF_8) : "";
            if (!decoded.equals(USER + ":" + PASSWORD)) {
                respond(exchange, 401, "{\"details\":\"incorrect username or password\"}");
                return;
            }
            subject = USER;
        }
        List<String> scopes = new ArrayList<>();
        String query = exchange.getRequestURI().getRawQuery();
        if (query != null) {
            for (String pair : query.split("&")) {
                if (pair.startsWith("scope=")) {
                    scopes.add(URLDecoder.decode(pair.substring(6), StandardCharsets.UTF_8));
                }
            }
        }
        requestedScopes.add(List.copyOf(scopes));
        String token = mint(subject, scopes);
        respond(exchange, 200, "{\"token\":\"" + token + "\",\"expires_in\":" + expiresInSeconds.get()
                + ",\"issued_at\":\"" + Instant.now().minusSeconds(issuedSecondsAgo.get()) + "\"}");
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
