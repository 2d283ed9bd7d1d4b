package io.berth.testsupport;

import static io.restassured.RestAssured.given;

import java.util.UUID;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/** Request builders for tests: JSON in and out, with a bearer token. */
public final class Api {

    private Api() {
    }

    public static RequestSpecification as(String token) {
        return given().contentType(ContentType.JSON).accept(ContentType.JSON).header("Authorization", "Bearer " + token);
    }

    /** A fresh company for one test, so tests never see each other's rows. */
    public static UUID newCompany() {
        return UUID.randomUUID();
    }

    /** Creates an environment and answers its id. */
    public static String createEnvironment(String token, String name) {
        return as(token).body("{\"name\":\"" + name + "\",\"tier\":\"staging\"}")
                .post("/api/environments")
                .then().statusCode(201).extract().path("id");
    }
}
