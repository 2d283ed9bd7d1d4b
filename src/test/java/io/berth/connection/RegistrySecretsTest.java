package io.berth.connection;

import static io.berth.testsupport.Api.as;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.logging.LogRecord;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.berth.testsupport.Api;
import io.berth.testsupport.LogCapture;
import io.berth.testsupport.Registries;
import io.berth.testsupport.TokenServer;
import io.berth.testsupport.Tokens;
import io.quarkus.test.junit.QuarkusTest;

/** A known secret appears in no response, no log line and no database column as plain text. */
@QuarkusTest
class RegistrySecretsTest {

    @Inject
    EntityManager em;

    @RegisterExtension
    final LogCapture logs = new LogCapture();

    @Test
    void secretsStayOutOfResponsesLogsAndTheDatabase() {
        String token = Tokens.admin(Api.newCompany());
        String wrongPassword = "Wr0ng-S3cr3t-" + UUID.randomUUID();
        String accessToken = "T0k3n-S3cr3t-" + UUID.randomUUID();
        List<String> responses = new ArrayList<>();
        var created = as(token).body("{\"name\":\"basic\",\"registryUrl\":\"" + Registries.BASIC.host()
                + "\",\"insecure\":true,\"username\":\"" + TokenServer.USER + "\",\"password\":\"" + wrongPassword + "\"}")
                .post("/api/registries").then().statusCode(201).extract();
        responses.add(created.asString());
        String id = created.path("id");
        responses.add(as(token).post("/api/registries/" + id + "/test").then().statusCode(200)
                .body("failedStep", equalTo("credentials")).extract().asString());
        responses.add(as(token).get("/api/registries/" + id).then().statusCode(200).extract().asString());
        responses.add(as(token).body("{\"token\":\"" + accessToken + "\",\"password\":5}").patch("/api/registries/" + id)
                .then().statusCode(400).extract().asString());
        responses.add(as(token).body("{\"token\":\"" + accessToken + "\"}").patch("/api/registries/" + id)
                .then().statusCode(200).extract().asString());
        responses.add(as(token).queryParam("repository", "x/y").get("/api/registries/" + id + "/tags")
                .then().statusCode(400).extract().asString());
        responses.add(as(token).get("/api/registries").then().statusCode(200).extract().asString());

        @SuppressWarnings("unchecked")
        List<Object[]> stored = em.createNativeQuery("select password_enc, token_enc from registry_connections where id = ?1")
                .setParameter(1, UUID.fromString(id)).getResultList();
        String password = (String) stored.get(0)[0];
        String tokenColumn = (String) stored.get(0)[1];
        assertTrue(password.startsWith("v1:test1:") && tokenColumn.startsWith("v1:test1:"), "stored encrypted");
        assertFalse(password.contains(wrongPassword) || tokenColumn.contains(accessToken));
        List<String> logged = new ArrayList<>(); // every message, parameter and exception message
        for (LogRecord r : logs.records()) {
            logged.add(String.valueOf(r.getMessage()));
            if (r.getParameters() != null) {
                for (Object p : r.getParameters()) {
                    logged.add(String.valueOf(p));
                }
            }
            for (Throwable t = r.getThrown(); t != null; t = t.getCause()) {
                logged.add(String.valueOf(t.getMessage()));
            }
        }
        assertTrue(logged.size() > 5, "the requests were logged");
        for (String secret : List.of(wrongPassword, accessToken)) {
            assertFalse(responses.stream().anyMatch(r -> r.contains(secret)), "a response shows the secret");
            assertFalse(logged.stream().anyMatch(l -> l.contains(secret)), "a log line shows the secret");
        }
    }
}
