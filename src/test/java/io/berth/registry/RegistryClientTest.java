package io.berth.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.berth.registry.RegistryException.Kind;
import io.berth.testsupport.ImagePusher;
import io.berth.testsupport.ImagePusher.Image;
import io.berth.testsupport.RegistryProxy;
import io.berth.testsupport.Registries;
import io.berth.testsupport.RegistryServer;
import io.berth.testsupport.TokenServer;
import io.quarkus.test.junit.QuarkusTest;

/** The registry client against the real Distribution registry in its three authentication modes. */
@QuarkusTest
class RegistryClientTest {

    @Inject
    RegistryClient client;

    private static RegistryServer registry(RegistryServer.Mode mode) {
        return switch (mode) {
            case ANONYMOUS -> Registries.ANONYMOUS;
            case BASIC -> Registries.BASIC;
            default -> Registries.TOKEN;
        };
    }

    private static RegistryAuth auth(RegistryServer.Mode mode) {
        return mode == RegistryServer.Mode.ANONYMOUS ? new RegistryAuth(null, null, true)
                : new RegistryAuth(TokenServer.USER, TokenServer.PASSWORD, true);
    }

    private static String repo(String prefix) {
        return prefix + "/app-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @ParameterizedTest
    @EnumSource(names = { "ANONYMOUS", "BASIC", "TOKEN" })
    void findsDigestsPlatformsAndPortsOfEveryManifestKind(RegistryServer.Mode mode) {
        RegistryServer server = registry(mode);
        ImagePusher pusher = Registries.pusher(server);
        String repository = repo("team");
        Image web = new Image("linux", "amd64", List.of("8080/tcp", "80/tcp", "53/udp"),
                Map.of("org.opencontainers.image.version", "1.2.3"), "2026-03-04T05:06:07Z");
        String oci = pusher.push(repository, "oci", web, ImagePusher.OCI_MANIFEST);
        String docker = pusher.push(repository, "docker", Image.linux("443/tcp"), ImagePusher.DOCKER_MANIFEST);
        String index = pusher.pushIndex(repository, "multi", ImagePusher.OCI_INDEX,
                Image.linux("80/tcp"), new Image("linux", "arm64", List.of("80/tcp"), Map.of(), "2026-01-01T00:00:00Z"));
        String list = pusher.pushIndex(repository, "list", ImagePusher.DOCKER_LIST,
                Image.linux("81/tcp"), new Image("linux", "arm64", List.of(), Map.of(), "2026-01-01T00:00:00Z"));
        RegistryAuth auth = auth(mode);
        ImageReference ref = ImageReference.parse(server.host() + "/" + repository);

        assertEquals(oci, client.head(ref.withTag("oci"), auth).digest());
        assertEquals(docker, client.head(ref.withTag("docker"), auth).digest());
        assertEquals(index, client.head(ref.withTag("multi"), auth).digest());
        assertEquals(RegistryClient.OCI_INDEX, client.head(ref.withTag("multi"), auth).mediaType());
        assertEquals(list, client.head(ref.withTag("list"), auth).digest());

        ImageDetails ociDetails = client.inspect(ref.withTag("oci"), auth);
        assertEquals(oci, ociDetails.digest());
        assertEquals(List.of("53/udp", "80/tcp", "8080/tcp"), ociDetails.exposedPorts());
        assertEquals("linux/amd64", ociDetails.platforms().get(0).toString());
        assertEquals("1.2.3", ociDetails.labels().get("org.opencontainers.image.version"));
        assertEquals("2026-03-04T05:06:07Z", ociDetails.created().toInstant().toString());

        assertEquals(List.of("443/tcp"), client.inspect(ref.withTag("docker"), auth).exposedPorts());

        ImageDetails multi = client.inspect(ref.withTag("multi"), auth);
        assertEquals(index, multi.digest(), "a multi-platform image pins the index digest");
        assertEquals(List.of("linux/amd64", "linux/arm64"), multi.platforms().stream().map(Object::toString).toList());
        assertEquals(List.of("80/tcp"), multi.exposedPorts());
        assertEquals(list, client.inspect(ref.withTag("list"), auth).digest());
        assertEquals(List.of("81/tcp"), client.inspect(ref.withTag("list"), auth).exposedPorts());

        assertEquals(Kind.NOT_FOUND, failure(() -> client.head(ref.withTag("missing"), auth)).kind());
        ImageReference nowhere = ImageReference.parse(server.host() + "/" + repo("nobody") + ":latest");
        assertEquals(Kind.NOT_FOUND, failure(() -> client.head(nowhere, auth)).kind());
    }

    @ParameterizedTest
    @EnumSource(names = { "BASIC", "TOKEN" })
    void wrongOrMissingCredentialsAreRejected(RegistryServer.Mode mode) {
        RegistryServer server = registry(mode);
        String repository = repo("private");
        Registries.pusher(server).push(repository, "v1", Image.linux(), ImagePusher.OCI_MANIFEST);
        ImageReference ref = ImageReference.parse(server.host() + "/" + repository + ":v1");

        RegistryException wrong = failure(() -> client.head(ref, new RegistryAuth(TokenServer.USER, "wrong", true)));
        assertEquals(Kind.CREDENTIALS_REJECTED, wrong.kind());
        RegistryException none = failure(() -> client.head(ref, new RegistryAuth(null, null, true)));
        assertTrue(none.kind() == Kind.CREDENTIALS_REJECTED || none.kind() == Kind.NOT_FOUND, none.kind().name());
        assertEquals(Kind.CREDENTIALS_REJECTED, failure(() -> client.ping(server.host(),
                new RegistryAuth(TokenServer.USER, "wrong", true))).kind());
        client.ping(server.host(), auth(mode)); // and the right ones pass the handshake
    }

    @Test
    void aWarmTokenCostsOneRequestAndANewRepositoryTwo() {
        try (RegistryServer server = new RegistryServer(RegistryServer.Mode.TOKEN, Registries.TOKENS)) {
            requestCosts(server);
        }
    }

    private void requestCosts(RegistryServer server) {
        ImagePusher pusher = Registries.pusher(server);
        String first = repo("cost");
        String second = repo("cost");
        pusher.push(first, "v1", Image.linux(), ImagePusher.OCI_MANIFEST);
        pusher.push(second, "v1", Image.linux(), ImagePusher.OCI_MANIFEST);
        RegistryAuth auth = new RegistryAuth(TokenServer.USER, TokenServer.PASSWORD, true);
        ImageReference a = ImageReference.parse(server.host() + "/" + first + ":v1");
        ImageReference b = ImageReference.parse(server.host() + "/" + second + ":v1");
        String host = server.host();

        long registryBefore = client.requestCount(host);
        long tokensBefore = Registries.TOKENS.requests.get();
        client.head(a, auth);
        long coldRegistry = client.requestCount(host) - registryBefore;
        long coldTokens = Registries.TOKENS.requests.get() - tokensBefore;

        registryBefore = client.requestCount(host);
        tokensBefore = Registries.TOKENS.requests.get();
        client.head(a, auth);
        assertEquals(1, client.requestCount(host) - registryBefore, "warm token: exactly one registry request");
        assertEquals(0, Registries.TOKENS.requests.get() - tokensBefore, "warm token: no token request");

        registryBefore = client.requestCount(host);
        tokensBefore = Registries.TOKENS.requests.get();
        client.head(b, auth);
        assertEquals(1, client.requestCount(host) - registryBefore, "new repository on a warm host: no 401 round trip");
        assertEquals(1, Registries.TOKENS.requests.get() - tokensBefore, "new repository on a warm host: one token");
        List<String> merged = Registries.TOKENS.requestedScopes.get(Registries.TOKENS.requestedScopes.size() - 1);
        assertTrue(merged.contains("repository:" + first + ":pull") && merged.contains("repository:" + second + ":pull"),
                "scopes are merged: " + merged);

        registryBefore = client.requestCount(host);
        client.head(a, auth);
        client.head(b, auth);
        assertEquals(2, client.requestCount(host) - registryBefore, "one merged token serves both repositories");
        assertEquals(2, coldRegistry, "cold: the 401, then the request with a token");
        assertEquals(1, coldTokens);
    }

    @Test
    void basicAuthIsRememberedPerHost() {
        RegistryServer server = Registries.BASIC;
        String repository = repo("basic");
        Registries.pusher(server).push(repository, "v1", Image.linux(), ImagePusher.OCI_MANIFEST);
        RegistryAuth auth = new RegistryAuth(TokenServer.USER, TokenServer.PASSWORD, true);
        ImageReference ref = ImageReference.parse(server.host() + "/" + repository + ":v1");
        client.head(ref, auth);
        long before = client.requestCount(server.host());
        client.head(ref, auth);
        assertEquals(1, client.requestCount(server.host()) - before);
    }

    @Test
    void expiredTokensAreRefreshedWithoutA401() throws InterruptedException {
        RegistryServer server = Registries.TOKEN;
        String repository = repo("expiry");
        Registries.pusher(server).push(repository, "v1", Image.linux(), ImagePusher.OCI_MANIFEST);
        RegistryAuth auth = new RegistryAuth(TokenServer.USER, TokenServer.PASSWORD, true);
        ImageReference ref = ImageReference.parse(server.host() + "/" + repository + ":v1");
        // a 60 s token issued 52 s ago: renewed 6 s (a tenth of its life) early, so usable for 2 s
        int issuedAgo = Registries.TOKENS.issuedSecondsAgo.getAndSet(52);
        int lifetime = Registries.TOKENS.expiresInSeconds.getAndSet(60);
        try {
            client.head(ref, auth);
            Thread.sleep(2500);
            long registryBefore = client.requestCount(server.host());
            long tokensBefore = Registries.TOKENS.requests.get();
            client.head(ref, auth);
            assertEquals(1, Registries.TOKENS.requests.get() - tokensBefore, "the expired token was renewed once");
            assertEquals(1, client.requestCount(server.host()) - registryBefore, "no 401 on the way");
        } finally {
            Registries.TOKENS.expiresInSeconds.set(lifetime);
            Registries.TOKENS.issuedSecondsAgo.set(issuedAgo);
        }
    }

    @Test
    void tokensLiveAtLeastSixtySeconds() {
        RegistryServer server = Registries.TOKEN;
        String repository = repo("short");
        Registries.pusher(server).push(repository, "v1", Image.linux(), ImagePusher.OCI_MANIFEST);
        RegistryAuth auth = new RegistryAuth(TokenServer.USER, TokenServer.PASSWORD, true);
        ImageReference ref = ImageReference.parse(server.host() + "/" + repository + ":v1");
        int lifetime = Registries.TOKENS.expiresInSeconds.getAndSet(1); // the token spec's floor is 60 s
        try {
            long tokensBefore = Registries.TOKENS.requests.get();
            for (int i = 0; i < 3; i++) {
                client.head(ref, auth);
            }
            assertEquals(1, Registries.TOKENS.requests.get() - tokensBefore, "3 checks, 1 token");
        } finally {
            Registries.TOKENS.expiresInSeconds.set(lifetime);
        }
    }

    @ParameterizedTest
    @EnumSource(value = RegistryProxy.LinkStyle.class, names = { "RELATIVE", "ABSOLUTE", "SHORT_PAGES" })
    void tagListsFollowEveryPage(RegistryProxy.LinkStyle style) {
        String repository = repo("tags");
        List<String> expected = pushTags(repository, 25);
        try (RegistryProxy proxy = new RegistryProxy(Registries.ANONYMOUS)) {
            proxy.style(style);
            ImageReference ref = ImageReference.parse(proxy.host() + "/" + repository);
            RegistryAuth auth = new RegistryAuth(null, null, true);
            assertEquals(expected, client.tags(ref, auth));
            long pages = style == RegistryProxy.LinkStyle.SHORT_PAGES ? 9 : 3; // 25 tags, pages of 10 (or 3)
            assertEquals(pages, client.requestCount(proxy.host()), "every page, and nothing more");
        }
    }

    @Test
    void tagListsRefuseLinksToOtherHostsAndHaveALimit() {
        String repository = repo("tags");
        pushTags(repository, 61);
        try (RegistryProxy proxy = new RegistryProxy(Registries.ANONYMOUS)) {
            RegistryAuth auth = new RegistryAuth(null, null, true);
            ImageReference ref = ImageReference.parse(proxy.host() + "/" + repository);
            assertEquals(Kind.TOO_MANY_TAGS, failure(() -> client.tags(ref, auth)).kind(), "berth.registry.max-tags is 60");
            proxy.style(RegistryProxy.LinkStyle.FOREIGN_HOST);
            assertEquals(Kind.REFUSED_TARGET, failure(() -> client.tags(ref, auth)).kind());
            proxy.style(RegistryProxy.LinkStyle.OTHER_PORT);
            RegistryException otherPort = failure(() -> client.tags(ref, auth));
            assertEquals(Kind.REFUSED_TARGET, otherPort.kind());
            assertTrue(otherPort.getMessage().contains("127.0.0.1:" + proxy.otherPort()), otherPort.getMessage());
        }
        // without paging (Distribution 2.8 itself) the limit holds too
        ImageReference direct = ImageReference.parse(Registries.ANONYMOUS.host() + "/" + repository);
        assertEquals(Kind.TOO_MANY_TAGS, failure(() -> client.tags(direct, new RegistryAuth(null, null, true))).kind());
    }

    /** Pushes one image under {@code count} tags t-00, t-01, ...; answers them in order. */
    private static List<String> pushTags(String repository, int count) {
        ImagePusher pusher = Registries.pusher(Registries.ANONYMOUS);
        String digest = pusher.push(repository, "t-00", Image.linux(), ImagePusher.OCI_MANIFEST);
        List<String> tags = new ArrayList<>(List.of("t-00"));
        for (int i = 1; i < count; i++) {
            tags.add(String.format("t-%02d", i));
            pusher.tag(repository, digest, tags.get(i));
        }
        return tags;
    }

    @Test
    void withoutADigestHeaderTheServedBytesAreHashed() {
        String repository = repo("nodigest");
        String digest = Registries.pusher(Registries.ANONYMOUS).push(repository, "v1", Image.linux(), ImagePusher.OCI_MANIFEST);
        try (RegistryProxy proxy = new RegistryProxy(Registries.ANONYMOUS)) {
            proxy.omitDigestHeader(true);
            ImageReference ref = ImageReference.parse(proxy.host() + "/" + repository + ":v1");
            assertEquals(digest, client.head(ref, new RegistryAuth(null, null, true)).digest());
            assertEquals(2, client.requestCount(proxy.host()), "the HEAD, then a GET of the exact bytes");
        }
    }

    @Test
    void credentialsStayBehindWhenABlobRedirectsToAnotherHost() {
        String repository = repo("redirect");
        Registries.pusher(Registries.BASIC).push(repository, "v1", Image.linux("7070/tcp"), ImagePusher.OCI_MANIFEST);
        String basic = "Basic " + java.util.Base64.getEncoder().encodeToString(
                (TokenServer.USER + ":" + TokenServer.PASSWORD).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        try (RegistryProxy front = new RegistryProxy(Registries.BASIC); RegistryProxy storage = new RegistryProxy(Registries.BASIC)) {
            storage.injectAuthorization(basic); // storage grants access on its own terms (a signed URL)
            // "localhost" is another host than "127.0.0.1" as far as credentials are concerned
            front.redirectBlobsTo("http://" + storage.host().replace("127.0.0.1", "localhost"));
            ImageReference ref = ImageReference.parse(front.host() + "/" + repository + ":v1");
            ImageDetails details = client.inspect(ref, new RegistryAuth(TokenServer.USER, TokenServer.PASSWORD, true));
            assertEquals(List.of("7070/tcp"), details.exposedPorts(), "the config blob was read through the redirect");
            assertTrue(front.authorizations.stream().anyMatch(a -> a.startsWith("Basic ")), "the registry got credentials");
            assertTrue(!storage.authorizations.isEmpty() && storage.authorizations.stream().allMatch("none"::equals),
                    "the other host got none: " + storage.authorizations);
        }
    }

    @Test
    void rateLimitsAreReadAndRespected() {
        String repository = repo("limited");
        Registries.pusher(Registries.ANONYMOUS).push(repository, "v1", Image.linux(), ImagePusher.OCI_MANIFEST);
        try (RegistryProxy proxy = new RegistryProxy(Registries.ANONYMOUS)) {
            RegistryAuth auth = new RegistryAuth(null, null, true);
            ImageReference ref = ImageReference.parse(proxy.host() + "/" + repository + ":v1");
            proxy.rateLimitHeaders(true);
            client.head(ref, auth);
            assertEquals(100, client.rateLimit(proxy.host()).limit());
            assertEquals(76, client.rateLimit(proxy.host()).remaining());
            assertEquals(21_600, client.rateLimit(proxy.host()).windowSeconds());

            // a number too large for an int is plenty, and the request still succeeds
            proxy.rateLimitRemaining("99999999999999999999");
            client.head(ref, auth);
            assertEquals(Integer.MAX_VALUE, client.rateLimit(proxy.host()).remaining());

            proxy.tooManyRequests("42");
            RegistryException limited = failure(() -> client.head(ref, auth));
            assertEquals(Kind.RATE_LIMITED, limited.kind());
            assertEquals(42, limited.retryAfterSeconds());
            long before = client.requestCount(proxy.host());
            failure(() -> client.head(ref, auth));
            assertEquals(1, client.requestCount(proxy.host()) - before, "a 429 is not retried");
        }
    }

    @Test
    void aPrivateCaCanBeTrusted() {
        RegistryConfig withBundle = new RegistryConfigOverride(
                io.berth.testsupport.TestFiles.copy("registry/tls-cert.pem").toString());
        RegistryClient trusting = new RegistryClient(withBundle, new com.fasterxml.jackson.databind.ObjectMapper());
        try (RegistryServer server = new RegistryServer(RegistryServer.Mode.TLS, null)) {
            trusting.ping(server.host(), RegistryAuth.ANONYMOUS);
            assertEquals(Kind.TLS, failure(() -> client.ping(server.host(), RegistryAuth.ANONYMOUS)).kind());
        }
    }

    /** The test configuration plus a CA bundle. */
    private static final class RegistryConfigOverride implements RegistryConfig {
        private final String caBundle;

        RegistryConfigOverride(String caBundle) {
            this.caBundle = caBundle;
        }

        public Duration connectTimeout() {
            return Duration.ofSeconds(1);
        }

        public Duration readTimeout() {
            return Duration.ofSeconds(2);
        }

        public java.util.Optional<List<String>> allowedPrivateHosts() {
            return java.util.Optional.of(List.of("127.0.0.1"));
        }

        public java.util.Optional<List<String>> insecureHosts() {
            return java.util.Optional.empty();
        }

        public java.util.Optional<String> caBundle() {
            return java.util.Optional.of(caBundle);
        }

        public int maxTags() {
            return 60;
        }

        public int tagsPageSize() {
            return 10;
        }

        public int maxTagPages() {
            return 1000;
        }

        public int retries() {
            return 0;
        }

        public int detailsCacheSize() {
            return 100;
        }

        public Duration circuitOpenDelay() {
            return Duration.ofSeconds(2);
        }
    }

    @Test
    void aStoppedRegistryFailsFastOpensTheCircuitAndRecovers() throws InterruptedException {
        try (RegistryServer server = new RegistryServer(RegistryServer.Mode.ANONYMOUS, null)) {
            String repository = repo("outage");
            Registries.pusher(server).push(repository, "v1", Image.linux(), ImagePusher.OCI_MANIFEST);
            RegistryAuth auth = new RegistryAuth(null, null, true);
            ImageReference ref = ImageReference.parse(server.host() + "/" + repository + ":v1");
            client.head(ref, auth);
            server.stop();

            long started = System.nanoTime();
            RegistryException down = failure(() -> client.head(ref, auth));
            assertEquals(Kind.UNREACHABLE, down.kind());
            assertTrue(Duration.ofNanos(System.nanoTime() - started).toMillis() < 3000, "refused connections fail fast");
            for (int i = 0; i < 4; i++) {
                failure(() -> client.head(ref, auth));
            }
            started = System.nanoTime();
            RegistryException open = failure(() -> client.head(ref, auth));
            assertEquals(Kind.UNAVAILABLE, open.kind());
            assertTrue(open.retryAfterSeconds() > 0);
            assertTrue(Duration.ofNanos(System.nanoTime() - started).toMillis() < 100, "an open circuit costs no time");

            server.start();
            Thread.sleep(2500); // berth.registry.circuit-open-delay in tests
            client.head(ref, auth);
        }
    }

    @Test
    void aRegistryThatNeverAnswersTimesOut() {
        try (RegistryServer server = new RegistryServer(RegistryServer.Mode.ANONYMOUS, null)) {
            ImageReference ref = ImageReference.parse(server.host() + "/frozen/app:v1");
            server.freeze();
            try {
                long started = System.nanoTime();
                assertEquals(Kind.TIMEOUT, failure(() -> client.head(ref, new RegistryAuth(null, null, true))).kind());
                long took = Duration.ofNanos(System.nanoTime() - started).toMillis();
                assertTrue(took >= 1900 && took < 4000, "bounded by berth.registry.read-timeout (2 s), took " + took);
            } finally {
                server.thaw();
            }
        }
    }

    @Test
    void internalAddressesAreRefused() {
        for (String host : List.of("127.0.0.2:5000", "169.254.169.254", "10.0.0.1:5000", "192.168.1.10", "[::1]:5000",
                "100.64.0.1")) {
            RegistryException refused = failure(() -> client.ping(host, new RegistryAuth(null, null, true)));
            assertEquals(Kind.REFUSED_TARGET, refused.kind(), host);
        }
    }

    @Test
    void aRealmOnAnInternalAddressGetsNoCredentials() {
        try (RegistryServer server = new RegistryServer(RegistryServer.Mode.TOKEN, null, "http://169.254.169.254/token")) {
            RegistryException refused = failure(() -> client.ping(server.host(),
                    new RegistryAuth(TokenServer.USER, TokenServer.PASSWORD, true)));
            assertEquals(Kind.REFUSED_TARGET, refused.kind());
        }
    }

    @Test
    void anUntrustedCertificateIsATlsFailure() {
        try (RegistryServer server = new RegistryServer(RegistryServer.Mode.TLS, null)) {
            assertEquals(Kind.TLS, failure(() -> client.ping(server.host(), RegistryAuth.ANONYMOUS)).kind());
        }
    }

    private static RegistryException failure(Supplier<?> call) {
        return assertThrows(RegistryException.class, call::get);
    }

    private static RegistryException failure(Runnable call) {
        return assertThrows(RegistryException.class, call::run);
    }
}
