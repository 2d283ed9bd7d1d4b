package io.berth.connection;

import static io.berth.testsupport.Api.as;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.berth.testsupport.Api;
import io.berth.testsupport.ImagePusher;
import io.berth.testsupport.Registries;
import io.berth.testsupport.RegistryServer;
import io.berth.testsupport.TestFiles;
import io.berth.testsupport.TokenServer;
import io.berth.testsupport.Tokens;
import io.quarkus.test.junit.QuarkusTest;

/** Registry connections over HTTP, against real registries. Shared with RegistryConnectionResourceIT. */
@QuarkusTest
class RegistryConnectionResourceTest {

    private final UUID company = Api.newCompany();
    private final String admin = Tokens.admin(company);

    private String create(String json) {
        return as(admin).body(json).post("/api/registries").then().statusCode(201).extract().path("id");
    }

    private String connectionTo(RegistryServer registry, String username, String password) {
        return create("{\"name\":\"r-" + UUID.randomUUID() + "\",\"registryUrl\":\"" + registry.host()
                + "\",\"insecure\":true" + (username == null ? "" : ",\"username\":\"" + username + "\",\"password\":\""
                + password + "\"") + "}");
    }

    @Test
    void lifecycleNeverShowsSecrets() {
        String id = as(admin).body("{\"name\":\"hub\",\"type\":\"dockerhub\",\"username\":\"bob\",\"password\":\"pw-1\"}")
                .post("/api/registries").then().statusCode(201)
                .header("ETag", "\"1\"")
                .body("registryUrl", equalTo("docker.io"))
                .body("type", equalTo("dockerhub"))
                .body("username", equalTo("bob"))
                .body("hasPassword", equalTo(true))
                .body("hasToken", equalTo(false))
                .body("insecure", equalTo(false))
                .body("refreshIntervalMinutes", equalTo(30))
                .body("imageCount", equalTo(0))
                .body("$", not(hasKey("password")))
                .body("$", not(hasKey("token")))
                .extract().path("id");
        as(admin).get("/api/registries/" + id).then().statusCode(200).body("$", not(hasKey("password")))
                .body("hasPassword", equalTo(true));
        as(admin).get("/api/registries").then().body("total", equalTo(1)).body("items[0]", not(hasKey("password")));

        as(admin).body("{\"token\":\"tok-1\",\"password\":null,\"refreshIntervalMinutes\":60}").patch("/api/registries/" + id)
                .then().statusCode(200).body("hasPassword", equalTo(false)).body("hasToken", equalTo(true))
                .body("refreshIntervalMinutes", equalTo(60)).body("version", equalTo(2));
        as(admin).body("{\"token\":\"\",\"username\":null}").patch("/api/registries/" + id)
                .then().statusCode(200).body("hasToken", equalTo(false)).body("username", nullValue());
        as(admin).delete("/api/registries/" + id).then().statusCode(204);
        as(admin).get("/api/registries/" + id).then().statusCode(404);
    }

    @Test
    void registryUrlsAreNormalized() {
        as(admin).body("{\"name\":\"gh\",\"type\":\"ghcr\"}").post("/api/registries").then().statusCode(201)
                .body("registryUrl", equalTo("ghcr.io"));
        as(admin).body("{\"name\":\"gh2\",\"registryUrl\":\"https://GHCR.io/\"}").post("/api/registries").then()
                .statusCode(201).body("registryUrl", equalTo("ghcr.io")).body("type", equalTo("generic"));
        as(admin).body("{\"name\":\"hub\",\"registryUrl\":\"index.docker.io\"}").post("/api/registries").then()
                .statusCode(201).body("registryUrl", equalTo("docker.io"));
        as(admin).body("{\"name\":\"plain\",\"registryUrl\":\"http://registry.example.com:5000\"}").post("/api/registries")
                .then().statusCode(400).body("field", equalTo("registryUrl")).body("hint", containsString("insecure"));
        as(admin).body("{\"name\":\"plain\",\"registryUrl\":\"http://registry.example.com:5000\",\"insecure\":true}")
                .post("/api/registries").then().statusCode(201).body("registryUrl", equalTo("registry.example.com:5000"));
        as(admin).body("{\"name\":\"path\",\"registryUrl\":\"ghcr.io/org\"}").post("/api/registries").then()
                .statusCode(400).body("field", equalTo("registryUrl"));
        as(admin).body("{\"name\":\"bad\",\"registryUrl\":\"not a host\"}").post("/api/registries").then()
                .statusCode(400).body("field", equalTo("registryUrl"));
        as(admin).body("{\"name\":\"generic\"}").post("/api/registries").then()
                .statusCode(400).body("field", equalTo("registryUrl"));
    }

    @Test
    void internalAddressesAreRefused() {
        for (String url : new String[] { "169.254.169.254", "10.0.0.1:5000", "127.0.0.2:5000", "[::1]:5000" }) {
            as(admin).body("{\"name\":\"ssrf\",\"registryUrl\":\"" + url + "\",\"insecure\":true}").post("/api/registries")
                    .then().statusCode(400).body("code", equalTo("VALIDATION_ERROR")).body("field", equalTo("registryUrl"))
                    .body("hint", containsString("allowed-private-hosts"));
        }
        as(admin).get("/api/registries").then().body("total", equalTo(0));
    }

    @Test
    void aPatchKeepsAbsentSecretsAndRefusesNullForFieldsThatCannotBeCleared() {
        String id = create("{\"name\":\"kept\",\"type\":\"ghcr\",\"username\":\"bob\",\"password\":\"pw\",\"token\":\"tok\"}");
        String path = "/api/registries/" + id;
        as(admin).body("{\"refreshIntervalMinutes\":45,\"type\":\"quay\"}").patch(path).then().statusCode(200)
                .body("hasPassword", equalTo(true)).body("hasToken", equalTo(true)).body("username", equalTo("bob"))
                .body("type", equalTo("quay")).body("registryUrl", equalTo("ghcr.io")).body("version", equalTo(2));
        for (String field : java.util.List.of("type", "registryUrl", "insecure", "refreshIntervalMinutes")) {
            as(admin).body("{\"" + field + "\":null}").patch(path).then().statusCode(400)
                    .body("code", equalTo("VALIDATION_ERROR")).body("field", equalTo(field))
                    .body("message", equalTo(field + " cannot be null."));
        }
        as(admin).body("{\"password\":\"\"}").patch(path).then().statusCode(200)
                .body("hasPassword", equalTo(false)).body("hasToken", equalTo(true)).body("version", equalTo(3));
        as(admin).body("{\"name\":\"kept\"}").patch(path).then().statusCode(200).body("version", equalTo(3));
    }

    @Test
    void invalidInputChangesNothing() {
        as(admin).body("{\"name\":\"x\",\"type\":\"ghcr\",\"refreshIntervalMinutes\":4}").post("/api/registries")
                .then().statusCode(400).body("field", equalTo("refreshIntervalMinutes"));
        as(admin).body("{\"name\":\"x\",\"type\":\"ghcr\",\"refreshIntervalMinutes\":1441}").post("/api/registries")
                .then().statusCode(400).body("field", equalTo("refreshIntervalMinutes"));
        as(admin).body("{\"name\":\"x\",\"type\":\"ecr-ish\"}").post("/api/registries")
                .then().statusCode(400).body("field", equalTo("type"));
        as(admin).body("{\"name\":\"x\",\"type\":\"ghcr\",\"password\":\"p\"}").post("/api/registries")
                .then().statusCode(400).body("field", equalTo("username"));
        as(admin).body("{\"name\":\"x\",\"type\":\"ghcr\",\"hasPassword\":true}").post("/api/registries")
                .then().statusCode(422).body("code", equalTo("READONLY_FIELD")).body("field", equalTo("hasPassword"));
        String id = create("{\"name\":\"keep\",\"type\":\"ghcr\"}");
        as(admin).body("{\"name\":\"KEEP\",\"type\":\"quay\"}").post("/api/registries").then().statusCode(409)
                .body("code", equalTo("CONFLICT"));
        as(admin).body("{\"imageCount\":3}").patch("/api/registries/" + id).then().statusCode(422)
                .body("field", equalTo("imageCount"));
        as(admin).body("{\"name\":null}").patch("/api/registries/" + id).then().statusCode(400).body("field", equalTo("name"));
        as(admin).body("{\"password\":\"p\"}").patch("/api/registries/" + id).then().statusCode(400)
                .body("field", equalTo("username"));
        as(admin).get("/api/registries/" + id).then().body("version", equalTo(1)).body("hasPassword", equalTo(false));
    }

    @Test
    void anotherCompanysConnectionsDoNotExistForYou() {
        String id = create("{\"name\":\"mine\",\"type\":\"ghcr\"}");
        String intruder = Tokens.admin(Api.newCompany());
        as(intruder).get("/api/registries/" + id).then().statusCode(404);
        as(intruder).body("{\"name\":\"x\"}").patch("/api/registries/" + id).then().statusCode(404);
        as(intruder).post("/api/registries/" + id + "/test").then().statusCode(404);
        as(intruder).queryParam("repository", "a/b").get("/api/registries/" + id + "/tags").then().statusCode(404);
        as(intruder).delete("/api/registries/" + id).then().statusCode(404);
        as(intruder).get("/api/registries").then().body("total", equalTo(0));
    }

    @Test
    void scopesAndRolesApply() {
        String id = create("{\"name\":\"guarded\",\"type\":\"ghcr\"}");
        String viewer = Tokens.token(company, "vera", "viewer", Tokens.ALL_SCOPES);
        as(viewer).get("/api/registries/" + id).then().statusCode(200);
        as(viewer).post("/api/registries/" + id + "/test").then().statusCode(403).body("code", equalTo("FORBIDDEN_ROLE"));
        as(Tokens.token(company, "otto", "operator", "environments:read")).get("/api/registries").then().statusCode(403)
                .body("code", equalTo("FORBIDDEN_SCOPE")).body("message", containsString("registries:read"));
    }

    @Test
    void testReportsSuccessInEveryAuthMode() {
        for (String id : new String[] { connectionTo(Registries.ANONYMOUS, null, null),
                connectionTo(Registries.BASIC, TokenServer.USER, TokenServer.PASSWORD),
                connectionTo(Registries.TOKEN, TokenServer.USER, TokenServer.PASSWORD) }) {
            as(admin).post("/api/registries/" + id + "/test").then().statusCode(200)
                    .body("success", equalTo(true)).body("failedStep", nullValue()).body("durationMs", notNullValue());
        }
    }

    @Test
    void testReportsWhichStepFailed() {
        for (RegistryServer registry : new RegistryServer[] { Registries.BASIC, Registries.TOKEN }) {
            as(admin).post("/api/registries/" + connectionTo(registry, TokenServer.USER, "wrong") + "/test").then()
                    .statusCode(200).body("success", equalTo(false)).body("failedStep", equalTo("credentials"));
        }
        as(admin).post("/api/registries/" + connectionTo(Registries.BASIC, null, null) + "/test").then()
                .body("success", equalTo(false)).body("failedStep", equalTo("credentials"));
        String nothing = create("{\"name\":\"down\",\"registryUrl\":\"127.0.0.1:" + TestFiles.freePort()
                + "\",\"insecure\":true}");
        as(admin).post("/api/registries/" + nothing + "/test").then()
                .body("success", equalTo(false)).body("failedStep", equalTo("connect"));
        try (RegistryServer tls = new RegistryServer(RegistryServer.Mode.TLS, null)) {
            String untrusted = create("{\"name\":\"tls\",\"registryUrl\":\"" + tls.host() + "\"}");
            as(admin).post("/api/registries/" + untrusted + "/test").then()
                    .body("success", equalTo(false)).body("failedStep", equalTo("tls"));
        }
    }

    @Test
    void listsTheTagsOfARepository() {
        String repository = "team/tags-" + UUID.randomUUID().toString().substring(0, 8);
        ImagePusher pusher = Registries.pusher(Registries.TOKEN);
        String digest = pusher.push(repository, "1.0.0", ImagePusher.Image.linux(), ImagePusher.OCI_MANIFEST);
        pusher.tag(repository, digest, "1.1.0");
        pusher.tag(repository, digest, "latest");
        String id = connectionTo(Registries.TOKEN, TokenServer.USER, TokenServer.PASSWORD);
        as(admin).queryParam("repository", repository).get("/api/registries/" + id + "/tags").then().statusCode(200)
                .body("count", equalTo(3)).body("tags", hasItems("1.0.0", "1.1.0", "latest"));
        as(admin).queryParam("repository", "team/does-not-exist").get("/api/registries/" + id + "/tags").then()
                .statusCode(400).body("code", equalTo("VALIDATION_ERROR")).body("field", equalTo("repository"));
        as(admin).queryParam("repository", "Bad Name").get("/api/registries/" + id + "/tags").then()
                .statusCode(400).body("field", equalTo("repository"));
        as(admin).get("/api/registries/" + id + "/tags").then().statusCode(400).body("field", equalTo("repository"));
        String stopped = create("{\"name\":\"stopped\",\"registryUrl\":\"127.0.0.1:" + TestFiles.freePort()
                + "\",\"insecure\":true}");
        as(admin).queryParam("repository", repository).get("/api/registries/" + stopped + "/tags").then()
                .statusCode(503).body("code", equalTo("SERVICE_UNAVAILABLE")).header("Retry-After", notNullValue());
    }
}
