package io.berth.registry;

import static io.berth.testsupport.Api.as;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.berth.testsupport.Api;
import io.berth.testsupport.ImagePusher;
import io.berth.testsupport.ImagePusher.Image;
import io.berth.testsupport.Registries;
import io.berth.testsupport.RegistryProxy;
import io.berth.testsupport.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;

/**
 * What Berth stores when a registry's answers are odd (issue 9 C): garbled digests, manifests
 * redirected to another registry that asks for a token, repositories with more tags than
 * berth.registry.max-tags (60 in tests). Everything through the API, against the real registries
 * behind the pass-through proxy.
 */
@QuarkusTest
class RegistryAnswersTest {

    private final String admin = Tokens.admin(Api.newCompany());
    private final String suffix = UUID.randomUUID().toString().substring(0, 8);
    private String environment;

    @BeforeEach
    void environment() {
        environment = Api.createEnvironment(admin, "env-" + suffix);
    }

    private ValidatableResponse track(String imageName, String filter) {
        return as(admin).body(Map.of("name", "img-" + UUID.randomUUID().toString().substring(0, 6), "imageName", imageName,
                "tagFilter", filter)).post("/api/environments/" + environment + "/container-images").then().statusCode(201);
    }

    private ValidatableResponse createApp(String imageName, String tag) {
        return as(admin).body(Map.of("name", "app-" + UUID.randomUUID().toString().substring(0, 6),
                "source", Map.of("image", Map.of("name", imageName, "tag", tag))))
                .post("/api/environments/" + environment + "/app").then();
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "sha256:", "sha256:xyz", "not-a-digest", "SHA256:ABC" })
    void anEmptyOrMalformedDigestHeaderCountsAsMissing(String header) {
        String repository = "public/digest-" + suffix;
        String digest = Registries.pusher(Registries.ANONYMOUS).push(repository, "1.0.0", Image.linux("80/tcp"),
                ImagePusher.OCI_MANIFEST);
        try (RegistryProxy proxy = new RegistryProxy(Registries.ANONYMOUS)) {
            proxy.digestHeader(header);
            String image = proxy.host() + "/" + repository;
            track(image, "1.*").body("bestTag", equalTo("1.0.0")).body("latestDigest", equalTo(digest))
                    .body("lastCheckError", nullValue());
            createApp(image, "1.0.0").statusCode(201).body("source.image.digest", equalTo(digest));
            String app = createApp(Registries.ANONYMOUS.host() + "/" + repository, "1.0.0").statusCode(201)
                    .extract().path("id");
            as(admin).body(Map.of("imageName", image, "imageTag", "1.0.0"))
                    .patch("/api/environments/" + environment + "/app/" + app + "/image").then().statusCode(200)
                    .body("source.image.digest", equalTo(digest));
        }
    }

    @Test
    void aManifestThatDoesNotHashToItsAnnouncedDigestIsNotStored() {
        String repository = "public/wrong-" + suffix;
        String digest = Registries.pusher(Registries.ANONYMOUS).push(repository, "1.0.0", Image.linux(),
                ImagePusher.OCI_MANIFEST);
        String other = "sha256:" + "0".repeat(64);
        try (RegistryProxy proxy = new RegistryProxy(Registries.ANONYMOUS)) {
            proxy.digestHeader(other);
            String id = track(proxy.host() + "/" + repository, "1.*").body("latestDigest", nullValue())
                    .body("lastCheckError", allOf(containsString(other), containsString(digest)))
                    .extract().path("id");
            as(admin).post("/api/container-images/" + id + "/check-updates").then().statusCode(503)
                    .body("message", containsString(other));
            as(admin).get("/api/container-images/" + id).then().body("latestDigest", nullValue());
        }
    }

    @Test
    void aManifestRedirectedToARegistryThatAsksForATokenIsRead() {
        String repository = "team/moved-" + suffix;
        String digest = Registries.pusher(Registries.TOKEN).push(repository, "v1", Image.linux(), ImagePusher.OCI_MANIFEST);
        try (RegistryProxy b = new RegistryProxy(Registries.TOKEN); RegistryProxy a = new RegistryProxy(Registries.ANONYMOUS)) {
            a.redirectManifestsTo("http://" + b.host());
            createApp(a.host() + "/" + repository, "v1").statusCode(201).body("source.image.digest", equalTo(digest));
            assertTrue(a.authorizations.stream().allMatch("none"::equals), "A never gets B's token: " + a.authorizations);
            assertTrue(b.authorizations.stream().anyMatch(h -> h.startsWith("Bearer ")), "B gets its token: " + b.authorizations);
            int tokensToB = (int) b.authorizations.stream().filter(h -> h.startsWith("Bearer ")).count();
            createApp(a.host() + "/" + repository, "v1").statusCode(201).body("source.image.digest", equalTo(digest));
            assertTrue(b.authorizations.stream().filter(h -> h.startsWith("Bearer ")).count() == tokensToB + 1,
                    "B's token is cached: one more request to B, no 401 round trip: " + b.authorizations);
            assertTrue(a.authorizations.stream().allMatch("none"::equals), "A never gets B's token: " + a.authorizations);
        }
    }

    @Test
    void whenTheRedirectTargetRefusesBerthSaysSo() {
        String repository = "private/moved-" + suffix;
        Registries.pusher(Registries.TOKEN).push(repository, "v1", Image.linux(), ImagePusher.OCI_MANIFEST);
        try (RegistryProxy b = new RegistryProxy(Registries.TOKEN); RegistryProxy a = new RegistryProxy(Registries.ANONYMOUS)) {
            a.redirectManifestsTo("http://" + b.host());
            createApp(a.host() + "/" + repository, "v1").statusCode(400)
                    .body("message", allOf(containsString("redirect"), containsString(b.host()), containsString(a.host()),
                            not(containsString("not found"))));
            assertTrue(a.authorizations.stream().allMatch("none"::equals), "A never gets B's token: " + a.authorizations);
        }
    }

    @Test
    void aRepositoryWithMoreTagsThanTheLimitIsTrackedByItsMatches() {
        String repository = "public/many-" + suffix;
        ImagePusher pusher = Registries.pusher(Registries.ANONYMOUS);
        String digest = pusher.push(repository, "build-000", Image.linux(), ImagePusher.OCI_MANIFEST);
        for (int i = 1; i < 70; i++) {
            pusher.tag(repository, digest, String.format("build-%03d", i));
        }
        String release = pusher.push(repository, "1.1.0", Image.linux("80/tcp"), ImagePusher.OCI_MANIFEST);
        pusher.tag(repository, digest, "1.0.0");
        try (RegistryProxy proxy = new RegistryProxy(Registries.ANONYMOUS)) {
            String id = track(proxy.host() + "/" + repository, "1.*").body("bestTag", equalTo("1.1.0"))
                    .body("latestDigest", equalTo(release)).body("lastCheckError", nullValue()).extract().path("id");
            // matching more than berth.registry.max-tags is still refused, with the limit named
            as(admin).body(Map.of("tagFilter", "build-*")).patch("/api/container-images/" + id).then().statusCode(200)
                    .body("lastCheckError", allOf(containsString("More than 60 tags"), containsString("match")));
        }
    }
}
